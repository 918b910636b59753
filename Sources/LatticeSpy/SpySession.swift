import Foundation
import LatticeClient
import LatticeProtocol
import MallocTuning
import NATSKit

/// Owns a spy's NATS subscriptions and their consumers, feeding one `SpyCapture`.
///
/// - Lattice scope: `{lattice}.*.wrpc.>`.
/// - Component scope: `{lattice}.{id}.wrpc.>` plus, after `refreshLinks()`, the subjects of every
///   ID it links with in either direction (as `wash spy` does). Calls on a linked ID's subject
///   are credited by their `source-id` header: made by another component, they are dropped (or
///   marked, see `SpyConfiguration.foreignCalls`).
/// - Replies: `prefix.>` for each inbox prefix (`_INBOX.>` by default), subscribed first.
///
/// Each subscription has a decoding task and an ingesting task (decoded chunks pass between them
/// through a small bounded queue, so the two overlap on two cores); a timer expires unanswered calls (and, every `heapTrimInterval`, hands freed heap
/// pages back to the system).
public actor SpySession {
    public nonisolated let capture: SpyCapture
    public nonisolated let connection: NATSConnection
    public nonisolated let lattice: String
    public nonisolated let scope: SpyScope
    private let linkSource: (@Sendable () async throws -> [Link])?
    private var invocationConsumers: [String: Consumer] = [:]
    private var inboxConsumers: [Consumer] = []
    private var ticker: Task<Void, Never>?
    private var started = false
    /// IDs linked with the spied component, from the last `refreshLinks()`.
    public private(set) var linkedIDs: [String] = []
    public private(set) var linksRefreshedAt: Date?

    private struct Consumer {
        let subscription: NATSSubscription
        let task: Task<Void, Never>
    }

    /// `links` reads the lattice's links (e.g. `LatticeClient.links`); needed for the component
    /// scope's linked targets.
    public init(
        connection: NATSConnection, lattice: String, scope: SpyScope,
        configuration: SpyConfiguration = SpyConfiguration(), links: (@Sendable () async throws -> [Link])? = nil
    ) {
        self.connection = connection
        self.lattice = lattice
        self.scope = scope
        self.linkSource = links
        self.capture = SpyCapture(configuration: configuration, scope: scope)
    }

    /// Spies with the client's connection and lattice; links come from `link.get`.
    public init(client: LatticeClient, scope: SpyScope, configuration: SpyConfiguration = SpyConfiguration()) {
        self.init(connection: client.connection, lattice: client.lattice, scope: scope, configuration: configuration,
                  links: { try await client.links() })
    }

    /// The subjects subscribed now.
    public var subjects: [String] {
        inboxConsumers.map(\.subscription.subject) + invocationConsumers.keys.sorted()
    }

    /// Subscribes the inboxes, then the invocation subjects of the scope (without linked IDs: call
    /// `refreshLinks()` for those), and starts the timeout timer.
    public func start() throws(SpyError) {
        guard !started else { return }
        if case .component(let id) = scope { try Self.validate(id) }
        started = true
        for subject in capture.configuration.inboxSubjects {
            inboxConsumers.append(try consume(subject, stream: .inboxes))
        }
        switch scope {
        case .lattice:
            try add("\(lattice).*.\(WRPCSubject.protocolName).>")
        case .component(let id):
            try add(WRPCSubject.subscription(lattice: lattice, target: id))
        }
        try? connection.flush()
        let capture = self.capture
        let interval = capture.configuration.expiryInterval
        let trimInterval = capture.configuration.heapTrimInterval
        ticker = Task.detached {
            var lastTrim = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                capture.expire()
                if let trimInterval, ContinuousClock.now - lastTrim >= trimInterval {
                    HeapTrimmer.trimNow()
                    lastTrim = .now
                }
            }
        }
    }

    /// Re-reads the links and watches the subjects of every ID linked with the spied component
    /// (and no longer those unlinked). Returns the linked IDs. No-op for the lattice scope.
    @discardableResult
    public func refreshLinks() async throws(SpyError) -> [String] {
        guard started else { throw .notStarted }
        guard case .component(let id) = scope, let linkSource else { return [] }
        let links: [Link]
        do { links = try await linkSource() } catch { throw .links("\(error)") }
        guard started else { throw .notStarted }   // stopped while the links were read
        let ids = Self.linkedIDs(of: id, in: links)
        let wanted = Set(([id] + ids).map { WRPCSubject.subscription(lattice: lattice, target: $0) })
        for (subject, consumer) in invocationConsumers where !wanted.contains(subject) {
            consumer.subscription.unsubscribe()
            capture.untrack(consumer.subscription)
            invocationConsumers.removeValue(forKey: subject)
        }
        for subject in wanted.sorted() where invocationConsumers[subject] == nil {
            try add(subject)
        }
        try? connection.flush()
        linkedIDs = ids
        linksRefreshedAt = Date()
        return ids
    }

    /// Unsubscribes everything, stops the timer, waits for the consumers to finish their last
    /// batch and ends the capture's event streams. With `discardingQueued`, it stops at once: what
    /// the subscriptions still hold or still receive is not read but counted
    /// (`SpyCounters.discardedAtStop`), so that every message sent to the spy is accounted for.
    public func stop(discardingQueued: Bool = false) async {
        ticker?.cancel()
        ticker = nil
        let consumers = inboxConsumers + Array(invocationConsumers.values)
        inboxConsumers = []
        invocationConsumers = [:]
        if discardingQueued {
            // All subscriptions drain at the same time, each waiting (blocked) for its last messages:
            // on threads of their own, not the cooperative pool the consumers need to finish.
            let subscriptions = consumers.map(\.subscription)
            subscriptions.forEach { $0.discardQueued() }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    DispatchQueue.concurrentPerform(iterations: subscriptions.count) {
                        subscriptions[$0].stopDiscarding(timeout: .seconds(1))
                    }
                    done.resume()
                }
            }
        }
        for c in consumers { c.subscription.unsubscribe() }
        // Untracked once the consumers are done: what they let go at the end still counts.
        for c in consumers { await c.task.value }
        for c in consumers { capture.untrack(c.subscription) }
        capture.finishEvents()
        started = false
    }

    /// IDs that `id` links to (as source) or that link to it (as target), sorted, without `id`.
    public static func linkedIDs(of id: String, in links: [Link]) -> [String] {
        var ids = Set<String>()
        for link in links {
            if link.sourceID == id { ids.insert(link.target) }
            if link.target == id { ids.insert(link.sourceID) }
        }
        ids.remove(id)
        return ids.sorted()
    }

    // MARK: - Private

    private func add(_ subject: String) throws(SpyError) {
        invocationConsumers[subject] = try consume(subject, stream: .invocations)
    }

    private func consume(_ subject: String, stream: SpyDecoder.Stream) throws(SpyError) -> Consumer {
        let subscription: NATSSubscription
        do {
            subscription = try connection.subscribe(subject, bufferLimit: capture.configuration.subscriptionBufferLimit)
        } catch {
            throw .subscribe(subject: subject, error)
        }
        // cnats' own queue (before NATSKit's buffer) gets the same bound, so at most about twice the
        // limit waits in memory when the consumer falls behind.
        let limit = capture.configuration.subscriptionBufferLimit
        subscription.setPendingLimits(messages: limit, bytes: max(limit * 1024, 8 << 20))
        capture.track(subscription)
        let capture = self.capture
        // Two tasks per subscription: one decodes, one applies, overlapping on two cores.
        let handoff = DecodedHandoff(limit: 4)
        let decoding = Task.detached {
            var decoder = SpyDecoder(configuration: capture.configuration)
            let chunk = capture.configuration.ingestChunk
            while let batch = await subscription.nextBatch() {
                // A chunk at a time: small intermediate buffers, warm caches.
                var start = 0
                while start < batch.count {
                    // Stopping at once: the rest of the batch is let go (and counted).
                    if subscription.isDiscarding {
                        subscription.letGo(batch.count - start)
                        break
                    }
                    let end = min(start + chunk, batch.count)
                    await handoff.push(decoder.decode(batch[start..<end], from: stream))
                    start = end
                }
            }
            handoff.close()
        }
        let task = Task.detached {
            while let decoded = await handoff.next() {
                if subscription.isDiscarding {
                    subscription.letGo(decoded.received)
                } else {
                    capture.ingest(decoded)
                }
            }
            await decoding.value
        }
        return Consumer(subscription: subscription, task: task)
    }

    private static func validate(_ id: String) throws(SpyError) {
        if id.isEmpty || id.contains(where: { $0 == "." || $0 == "*" || $0 == ">" || $0.isWhitespace }) {
            throw .invalidComponentID(id)
        }
    }
}
