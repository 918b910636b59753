import Foundation
import LatticeProtocol
import NATSKit
import Synchronization

/// One step of a host sync (`LatticeClient.hostSync()`).
public enum HostSyncEvent: Sendable, Equatable {
    /// A host answered the ping.
    case pinged(HostInfo)
    /// A ping reply that could not be used (malformed, or refused).
    case pingFailed(LatticeClientError)
    /// A host's `host.get` answered.
    case inventory(HostInventory)
    /// A host's `host.get` failed (timed out twice, refused, malformed, …).
    case inventoryFailed(hostID: String, LatticeClientError)
}

extension LatticeClient {
    /// `host.ping`, then a `host.get` per host as its ping reply arrives (asked once more after a
    /// timeout, to the same reply subject: `inventoryAskingAgainAfterTimeout`), all at once, in
    /// batches. Nothing a host but its request: no task, timer or subscription each. Each ping
    /// reply is read and its `host.get` sent on the cnats thread that delivers it, as it arrives
    /// (a busy task pool does not hold the requests back, up to `maxInFlight`); the `host.get`
    /// replies are routed on the cnats thread too. Both go into one collector, a host's ping
    /// before its inventory, and one reader decodes the inventories a batch at a time. Ends once
    /// the ping window has closed and every `host.get` has ended.
    ///
    /// `maxInFlight` bounds the `host.get` requests out at once (nil: all at once, as `latticetop
    /// get inventory` asks; the monitor's syncs are bounded): a host whose ping answers while that
    /// many are out is asked once the reader has read one of their replies (an outcome: answered,
    /// failed, or timed out after its second ask), so at most that many replies exist at once: on
    /// their way, waiting to be read, or being read. A reader held back (a busy task pool) slows the requests down
    /// instead of letting undecoded replies pile up (at a 2,000-host resync's heap peak, 1,133
    /// undecoded replies, 2.7 MB, waited so under a bound of 256). `share` is applied to each
    /// ping as it arrives and to each inventory as it is read, before the next reply is decoded
    /// (the monitor gives them the parts the host's last inventory repeats, so the fresh copies
    /// are freed at once instead of a batch of them waiting).
    public func hostSync(maxInFlight: Int? = nil,
                         share: (@Sendable (HostSyncEvent) -> HostSyncEvent)? = nil) throws(LatticeClientError) -> AsyncStream<[HostSyncEvent]> {
        let pingSubject = subjects.hostPing
        let collected = InventoryReplies(maxInFlight: maxInFlight)
        let client = self
        let pings: NATSSubscription
        do {
            pings = try connection.scatterGather(pingSubject, window: gatherWindow) { message in
                guard let message else { return collected.pingsEnded() }
                client.pinged(message, subject: pingSubject, into: collected, share: share)
            }
        } catch {
            throw LatticeClientError.from(error, subject: pingSubject)
        }
        return AsyncStream { continuation in
            let reading = Task {
                while let batch = await collected.next() {
                    let replies = batch.count { if case .reply = $0 { true } else { false } }
                    continuation.yield(batch.map { item in
                        switch item {
                        case .event(let event): return event
                        case .reply(let reply):
                            let event = client.read(reply)
                            return share?(event) ?? event
                        }
                    })
                    // The replies just read free their places in flight for the hosts waiting.
                    for hostID in collected.read(replies) { client.ask(hostID, into: collected) }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                pings.unsubscribe()
                reading.cancel()
                collected.cancel()
            }
        }
    }

    /// A ping reply, on the cnats thread: its host's `.pinged` (or why it cannot be used),
    /// `share`d there and then, into `collected`, then the host's `host.get`. Shared as it
    /// arrives, not by the reader: a resync's 10,000 pings come within half a second, and each
    /// decoded ping's own copies (ID, labels, name) would otherwise wait for the reader.
    private func pinged(_ message: NATSMessage, subject: String, into collected: InventoryReplies,
                        share: (@Sendable (HostSyncEvent) -> HostSyncEvent)?) {
        let event: HostSyncEvent
        do throws(LatticeClientError) {
            let r = try Self.interpret(message, subject: subject, decode: HostReplyDecoder.ping)
            if let host = r.response {
                event = .pinged(host)
            } else {
                event = .pingFailed(.refused(subject: subject, message: r.message))
            }
        } catch {
            event = .pingFailed(error)
        }
        // Nothing more once the window has closed (a reply racing its end). A host's request is
        // counted with its ping, so the reader cannot take the last item and end in between.
        guard case .pinged(let host) = event else {
            _ = collected.add(event)
            return
        }
        guard collected.add(share?(event) ?? event, expecting: true), collected.mayAsk(host.id) else { return }
        ask(host.id, into: collected)
    }

    /// Sends `hostID`'s `host.get` (its place among the requests in flight taken), then, as long
    /// as one cannot be sent, the next waiting host's.
    private func ask(_ hostID: String, into collected: InventoryReplies) {
        var next: String? = hostID
        while let id = next {
            guard let error = askInventory(hostID: id, into: collected) else { return }
            next = collected.unexpect(adding: .inventoryFailed(hostID: id, error))
        }
    }

    /// Sends `host.get` for `hostID` (counted in `replies` already) with its outcome going to
    /// `replies`; the error when it could not be sent (then nothing goes to `replies`).
    private func askInventory(hostID: String, into replies: InventoryReplies) -> LatticeClientError? {
        do throws(LatticeClientError) {
            try validate(hostID, "host ID")
        } catch {
            return error
        }
        let subject = subjects.hostGet(hostID: hostID)
        do {
            try connection.request(subject, timeout: timeout, resends: 1) { result in
                // Its place in flight stays taken until the reader has read it (`read(_:)`).
                replies.deliver(InventoryReply(hostID: hostID, result: result))
            }
        } catch {
            return .from(error, subject: subject)
        }
        return nil
    }

    /// A `host.get` outcome as `inventory(hostID:)` reads it.
    private func read(_ reply: InventoryReply) -> HostSyncEvent {
        let subject = subjects.hostGet(hostID: reply.hostID)
        switch reply.result {
        case .failure(let error):
            return .inventoryFailed(hostID: reply.hostID, .from(error, subject: subject))
        case .success(let message):
            do throws(LatticeClientError) {
                let r = try Self.interpret(message, subject: subject, decode: HostReplyDecoder.inventory)
                guard let inventory = r.response else {
                    throw .malformedReply(subject: subject, detail: "no inventory in the reply")
                }
                return .inventory(inventory)
            } catch {
                return .inventoryFailed(hostID: reply.hostID, error)
            }
        }
    }

    /// `interpret` of a message's payload, read where it is (not copied out).
    static func interpret<T: Sendable & Equatable & Codable>(
        _ message: NATSMessage, subject: String, decode: (Data) throws -> CtlResponse<T>
    ) throws(LatticeClientError) -> CtlResponse<T> {
        let decoded: Result<CtlResponse<T>, any Error> = message.withPayload { bytes in Result { try decode(borrowing(bytes)) } }
        return try interpret(Data(), subject: subject) { _ in try decoded.get() }
    }

    /// The bytes as `Data` without copying them; valid only while `bytes` is.
    private static func borrowing(_ bytes: UnsafeRawBufferPointer) -> Data {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return Data() }
        return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
    }
}

/// What the collector holds: an event read already, or a `host.get` outcome to read.
enum HostSyncItem: Sendable {
    case event(HostSyncEvent)
    case reply(InventoryReply)
}

/// A `host.get`'s outcome, as the connection handed it over.
struct InventoryReply: Sendable {
    let hostID: String
    let result: Result<NATSMessage, NATSError>
}

/// Where a host sync's pings and `host.get` outcomes wait for their reader: appended under a lock
/// on the thread that delivers them (cnats' delivery threads, or the requests' timer), taken all
/// at once, in the order they came. Knows how many requests are still out, so the reader learns
/// when the last one came.
final class InventoryReplies: Sendable {
    private struct State {
        var items: [HostSyncItem] = []
        var outstanding = 0
        var pingsEnded = false
        /// The reader went away: what still arrives is let go.
        var cancelled = false
        /// `host.get` requests sent and not ended yet.
        var inFlight = 0
        /// Hosts whose `host.get` waits for a place in flight, in the order their pings came
        /// (taken from `waitingHead` on).
        var waitingToAsk: [String] = []
        var waitingHead = 0
        var waiter: CheckedContinuation<[HostSyncItem]?, Never>?
        var isDone: Bool { pingsEnded && outstanding == 0 && items.isEmpty }

        mutating func take() -> CheckedContinuation<[HostSyncItem]?, Never>? {
            defer { waiter = nil }
            return waiter
        }

        /// A place in flight is free: the next host waiting takes it (returned: its request is
        /// to be sent), or it is free (none waits, or the reader went away).
        mutating func freePlace() -> String? {
            guard waitingHead < waitingToAsk.count, !cancelled else {
                inFlight -= 1
                return nil
            }
            let next = waitingToAsk[waitingHead]
            waitingHead += 1
            if waitingHead == waitingToAsk.count {
                waitingToAsk = []
                waitingHead = 0
            }
            return next
        }
    }

    private let state = Mutex(State())
    /// The most `host.get` requests in flight at once (nil: no bound).
    let maxInFlight: Int?

    init(maxInFlight: Int? = nil) {
        self.maxInFlight = maxInFlight.map { max(1, $0) }
    }

    /// Whether the `host.get` of `hostID` (counted by `add(_:expecting:)`) may be sent now; if
    /// not, it waits for a place (`settle` hands it out).
    func mayAsk(_ hostID: String) -> Bool {
        state.withLock { s in
            guard let maxInFlight, s.inFlight >= maxInFlight else {
                s.inFlight += 1
                return true
            }
            s.waitingToAsk.append(hostID)
            return false
        }
    }

    /// A request counted by `add(_:expecting:)` was not sent after all: `event` says why. Returns
    /// the host to ask next in its place, if one waits.
    func unexpect(adding event: HostSyncEvent) -> String? {
        let next = state.withLock { $0.freePlace() }
        settle(with: .event(event))
        return next
    }

    /// A request's outcome. Its place in flight stays taken until the reader has read it
    /// (`read(_:)`), so at most `maxInFlight` replies exist at once, whether on their way,
    /// waiting here or being read: a reader held back (a busy task pool) slows the requests
    /// instead of letting thousands of undecoded replies pile up.
    func deliver(_ reply: InventoryReply) {
        settle(with: .reply(reply))
    }

    /// The reader has read `count` replies (`deliver`ed, taken with `next()`): their places in
    /// flight go to the hosts waiting (returned: the caller sends their requests), none once the
    /// reader went away.
    func read(_ count: Int) -> [String] {
        guard count > 0 else { return [] }
        return state.withLock { s in
            var next: [String] = []
            for _ in 0..<count { if let host = s.freePlace() { next.append(host) } }
            return next
        }
    }

    /// One counted request is over with `item`: handed to a waiting reader, else queued.
    private func settle(with item: HostSyncItem) {
        let wake = state.withLock { s -> CheckedContinuation<[HostSyncItem]?, Never>? in
            s.outstanding -= 1
            guard let w = s.take() else {
                if !s.cancelled { s.items.append(item) }
                return nil
            }
            return w
        }
        wake?.resume(returning: [item])
    }

    /// A ping read already, with its host's request counted when `expecting`; false (dropped,
    /// nothing counted) once the pings have ended.
    func add(_ event: HostSyncEvent, expecting: Bool = false) -> Bool {
        let (added, wake) = state.withLock { s -> (Bool, CheckedContinuation<[HostSyncItem]?, Never>?) in
            guard !s.pingsEnded else { return (false, nil) }
            if expecting { s.outstanding += 1 }
            guard let w = s.take() else {
                if !s.cancelled { s.items.append(.event(event)) }
                return (true, nil)
            }
            return (true, w)
        }
        wake?.resume(returning: [.event(event)])
        return added
    }

    /// No more requests will be added.
    func pingsEnded() {
        let wake = state.withLock { s -> CheckedContinuation<[HostSyncItem]?, Never>? in
            s.pingsEnded = true
            return s.isDone ? s.take() : nil
        }
        wake?.resume(returning: nil)
    }

    /// The reader went away: nothing more is kept.
    func cancel() {
        let wake = state.withLock { s -> CheckedContinuation<[HostSyncItem]?, Never>? in
            s.cancelled = true
            s.items = []
            s.waitingToAsk = []
            s.waitingHead = 0
            return s.take()
        }
        wake?.resume(returning: nil)
    }

    /// Everything that arrived, waiting if nothing has; nil once all arrived and were taken, or
    /// when the reader is cancelled.
    func next() async -> [HostSyncItem]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[HostSyncItem]?, Never>) in
                let ready: [HostSyncItem]?? = state.withLock { s in
                    if !s.items.isEmpty {
                        defer { s.items = [] }
                        return .some(s.items)
                    }
                    if s.isDone || s.cancelled || Task.isCancelled { return .some(nil) }
                    s.waiter = c
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            cancel()
        }
    }
}
