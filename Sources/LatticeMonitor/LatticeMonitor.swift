import Foundation
import LatticeClient
import LatticeProtocol
import LatticeState
import Logging
import NATSKit
import Synchronization

/// The subscription actor: owns the lattice's NATS subscriptions (events, v2 heartbeats, wadm
/// status), runs the initial sync and periodic resyncs (ping → inventories streamed as they
/// arrive, links, named config from the `CONFIGDATA` bucket, wadm apps), resyncs after every
/// reconnect, and hands everything to the app as `LatticeInput` batches on `inputs`.
public actor LatticeMonitor {
    public nonisolated let inputs: BatchQueue<LatticeInput>
    /// Live inputs pass here: held back while the history replays.
    private nonisolated let gate: InputGate
    /// Heartbeats and inventories share what they repeat with the host's previous one.
    private nonisolated let sharing = InventorySharing()
    /// The last `link.get` reply: one with the same bytes is not decoded again.
    private nonisolated let lastListing = LinkListingMemo()
    public let client: LatticeClient
    public let configuration: MonitorConfiguration
    private var subscriptions: [NATSSubscription] = []
    private var tasks: [Task<Void, Never>] = []
    private var syncTask: Task<Void, Never>?
    private var nextSyncID = 0
    private var lastDropped: [String: Int64] = [:]
    /// Connection changes, syncs, malformed messages and drops (a no-op unless the app sets one).
    private let logger: Logger

    public init(client: LatticeClient, configuration: MonitorConfiguration = MonitorConfiguration(),
                logger: Logger = Logger(label: "latticetop.monitor", factory: { _ in SwiftLogNoOpLogHandler() })) {
        inputs = BatchQueue(capacity: configuration.handOverLimit,
                            supersedingKey: configuration.supersedesWaitingInputs ? LatticeInput.supersedingKey : nil)
        gate = InputGate(queue: inputs, capacity: configuration.handOverLimit)
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    private var connection: NATSConnection { client.connection }

    /// Subscribes and starts syncing. Subscriptions are made before the first sync, so nothing
    /// that happens during it is missed. With `history`, live inputs (and the sync's) wait
    /// until the recorded events are replayed (`HistoryReplay`).
    public func start() throws(NATSError) {
        let lattice = client.lattice
        if configuration.history != nil { gate.close() }
        let limit = configuration.maxPayloadBytes
        let fetchConfig = !configuration.eventsOnly
        let sharing = self.sharing
        try watch(EventSubjects(lattice: lattice).wildcard, decode: { messages in
            messages.compactMap { Self.decode($0, as: .event, limit: limit).map(sharing.share) }
        }, then: { [client, gate] decoded in
            // Events name a config but never carry its values: fetch them after each config_set.
            guard fetchConfig else { return }
            for case .event(let event, _) in decoded {
                guard case .configSet(let set) = event.payload, !SecretReference.isReference(set.configName) else { continue }
                Task {
                    guard let values = try? await client.config(name: set.configName) else { return }
                    gate.push([.config(name: set.configName, values: values, at: Date())])
                }
            }
        })
        if configuration.watchWadm {
            try watch(EventSubjects(lattice: lattice).wadmWildcard) { messages in
                messages.compactMap { Self.decode($0, as: .event, limit: limit) }
            }
            try watch(client.wadm.statusWildcard) { messages in
                messages.compactMap { Self.decode($0, as: .wadmStatus, limit: limit) }
            }
        }
        if configuration.watchV2Hosts {
            try watch(V2Subjects.heartbeatWildcard) { messages in
                messages.compactMap { Self.decode($0, as: .v2Heartbeat, limit: limit) }
            }
        }
        try? connection.flush()
        watchConnection()
        var lookedUp: OneShot?
        if let history = configuration.history {
            let client = self.client, domain = configuration.jsDomain, limit = configuration.maxPayloadBytes
            let inputs = self.inputs, gate = self.gate
            let looked = OneShot()
            lookedUp = looked
            tasks.append(Task {
                await HistoryReplay.run(history, client: client, domain: domain, limit: limit, queue: inputs, gate: gate, looked: looked.fire)
            })
        }
        if !configuration.eventsOnly {
            if let lookedUp {
                // The sync's inputs wait in the gate until the history is replayed: its ping goes
                // out once the replay knows its stream (a round trip or two on a quiet
                // connection), at most `lookupHead` later.
                tasks.append(Task { [weak self] in
                    await lookedUp.wait(atMost: HistoryReplay.lookupHead)
                    guard !Task.isCancelled else { return }
                    await self?.startFirstSync()
                })
            } else {
                resync()
            }
            let interval = configuration.resyncInterval
            tasks.append(Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled, let self else { return }
                    await self.resync()
                }
            })
        }
    }

    public func stop() {
        tasks.forEach { $0.cancel() }
        tasks = []
        syncTask?.cancel()
        subscriptions.forEach { $0.unsubscribe() }
        subscriptions = []
        inputs.close()
    }

    /// The key live events are told from recorded ones by: type and CloudEvent ID.
    static func eventKey(_ event: LatticeEvent) -> String { event.type + " " + event.id }

    /// Starts a sync now (a running one is cancelled and reported incomplete).
    public func resync() {
        syncTask?.cancel()
        nextSyncID += 1
        let id = nextSyncID
        let client = self.client
        let configuration = self.configuration
        let inputs = self.gate
        logger.debug("sync \(id) started", metadata: ["lattice": "\(client.lattice)"])
        let sharing = self.sharing, lastListing = self.lastListing
        syncTask = Task {
            await Self.sync(id: id, client: client, configuration: configuration, inputs: inputs, sharing: sharing, lastListing: lastListing)
        }
    }

    /// The first sync, unless one has started already (after a reconnect).
    private func startFirstSync() {
        if nextSyncID == 0 { resync() }
    }

    /// A resync after `delay`, unless another one starts first.
    public func resync(after delay: Duration) {
        let scheduled = nextSyncID
        tasks.append(Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled, let self, await self.nextSyncID == scheduled else { return }
            await self.resync()
        })
    }

    /// Re-reads what a change touched, `delay` after it settled (so events the host publishes
    /// right after the settling one are behind it): `host.get` of each host, whose inventory then
    /// replaces what events said (a `component.update` ends with a scale-0 for a component that
    /// keeps running), and `link.get` when links changed (a `link.del` may publish nothing).
    public func reread(hosts: Set<String>, links: Bool, after delay: Duration = .milliseconds(500)) {
        guard !hosts.isEmpty || links else { return }
        let client = self.client, inputs = self.gate, id = nextSyncID, sharing = self.sharing, lastListing = self.lastListing
        tasks.removeAll { $0.isCancelled }
        tasks.append(Task {
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            for host in hosts.sorted() {
                do throws(LatticeClientError) {
                    inputs.push(sharing.share(.inventory(try await client.inventory(hostID: host), syncID: id, at: Date())))
                } catch {
                    inputs.push(.syncFailed(step: "host.get \(host)", message: error.description, at: Date()))
                }
            }
            guard links else { return }
            do throws(LatticeClientError) {
                inputs.push(.links(try await Self.links(client: client, lastListing: lastListing), syncID: id, at: Date()))
            } catch {
                inputs.push(.syncFailed(step: LatticeState.linkListingStep, message: error.description, at: Date()))
            }
        })
    }

    /// Total messages dropped by all subscriptions so far.
    public var droppedTotal: Int64 { subscriptions.reduce(0) { $0 + $1.dropped } }

    // MARK: - Subscriptions

    private func watch(_ subject: String, decode: @escaping @Sendable ([NATSMessage]) -> [LatticeInput],
                       then: (@Sendable ([LatticeInput]) -> Void)? = nil) throws(NATSError) {
        let sub = try connection.subscribe(subject, bufferLimit: configuration.bufferLimit)
        subscriptions.append(sub)
        let inputs = self.gate
        let logger = self.logger
        tasks.append(Task { [weak self] in
            for await batch in sub {
                let decoded = decode(batch)
                for case .undecodable(let subject, let reason, _, _) in decoded {
                    logger.warning("malformed message on \(subject): \(reason)")
                }
                inputs.push(decoded)
                then?(decoded)
                await self?.reportDrops(sub)
            }
        })
    }

    private func reportDrops(_ sub: NATSSubscription) {
        let dropped = sub.dropped
        guard dropped != lastDropped[sub.subject, default: 0] else { return }
        lastDropped[sub.subject] = dropped
        logger.warning("\(dropped) messages dropped so far on \(sub.subject) (the consumer fell behind)")
        gate.push(.dropped(subject: sub.subject, total: dropped, at: Date()))
    }

    private func watchConnection() {
        let states = connection.states()
        tasks.append(Task { [weak self] in
            var wasDown = false
            for await state in states {
                guard let self else { return }
                let status: ConnectionStatus
                switch state {
                case .connecting: status = .connecting
                case .connected(let server): status = .connected(server: server)
                case .disconnected: status = .disconnected
                case .reconnecting(let attempt): status = .reconnecting(attempt: attempt)
                case .closed: status = .closed
                }
                // Through the gate: while the history replays, the model is not live yet (the
                // attempts before the first connection pass, so the header can show them).
                if case .connected = state { self.gate.holdConnectionChanges() }
                self.gate.push(.connection(status, at: Date()))
                self.logger.notice("connection \(status)")
                switch state {
                case .connected:
                    if wasDown && !self.configuration.eventsOnly {
                        // Now, and once more when the hosts have had time to reconnect too.
                        await self.resync()
                        await self.resync(after: self.configuration.reconnectFollowUp)
                    }
                    wasDown = false
                case .disconnected, .reconnecting:
                    wasDown = true
                default:
                    break
                }
            }
        })
    }

    /// What a watched subject carries.
    enum MessageKind {
        case event
        case wadmStatus
        case v2Heartbeat
    }

    /// One watched message as an input. Anything that cannot be used (larger than `limit`, not
    /// valid UTF-8, not JSON, nested too deep, wrong types) is `.undecodable`: counted and shown
    /// with a one-line reason, never fatal. Nil only for a wadm status subject without an app.
    static func decode(_ m: NATSMessage, as kind: MessageKind, limit: Int) -> LatticeInput? {
        decode(subject: m.subject, data: m.data, at: Date(), as: kind, limit: limit)
    }

    /// The same for a message's subject and payload, arrived (or stored) `at`.
    static func decode(subject: String, data: Data, at: Date, as kind: MessageKind, limit: Int) -> LatticeInput? {
        let label: String
        switch kind {
        case .event: label = "event"
        case .wadmStatus: label = "wadm status"
        case .v2Heartbeat: label = "v2 heartbeat"
        }
        guard data.count <= limit else {
            return .undecodable(subject: subject, reason: "\(label): oversized (\(data.count) bytes, limit \(limit))",
                                raw: data.prefix(256), at: at)
        }
        switch kind {
        case .event:
            switch LatticeEventDecoder.decode(data) {
            case .success(let event): return .event(event, at: at)
            case .failure(let error): return .undecodable(subject: subject, reason: error.description, raw: data, at: at)
            }
        case .wadmStatus:
            guard let parsed = WadmSubjects.parseStatus(subject) else { return nil }
            do {
                return .wadmStatus(application: parsed.application, status: try WireJSON.decode(WadmStatus.self, from: data), at: at)
            } catch {
                return .undecodable(subject: subject, reason: "\(label): \(DecodingErrorDescription.describe(error))", raw: data, at: at)
            }
        case .v2Heartbeat:
            do {
                return .v2Heartbeat(try V2HostHeartbeat.decode(data), subject: subject, at: at)
            } catch {
                return .undecodable(subject: subject, reason: "\(label): \(DecodingErrorDescription.describe(error))", raw: data, at: at)
            }
        }
    }

    // MARK: - Sync

    /// One sync: every step runs at once and streams its results; the ping's inventories are
    /// fetched as each host answers. A link listing that timed out twice beside the hosts'
    /// replies is asked once more when they are all in, before the sync ends: on a big, busy
    /// lattice the listing waits behind thousands of `host.get` answers, and the links would
    /// otherwise be missing until the next resync.
    static func sync(id: Int, client: LatticeClient, configuration: MonitorConfiguration, inputs: InputGate,
                     sharing: InventorySharing, lastListing: LinkListingMemo) async {
        inputs.push(.syncStarted(id: id, at: Date()))
        let (answered, linksTimedOut) = await withTaskGroup(of: SyncStep.self) { group -> (Set<String>, Bool) in
            // The first sync keeps at most `firstSyncInFlight` `host.get` requests out (the
            // first picture as fast as the hosts answer and the reader reads), later ones
            // `resyncInFlight` (a resync's burst of 10,000 replies was what the dashboard's RSS
            // peaked on).
            let maxInFlight = id == 1 ? configuration.firstSyncInFlight : configuration.resyncInFlight
            group.addTask { .hosts(await syncHosts(id: id, client: client, maxInFlight: maxInFlight, inputs: inputs, sharing: sharing)) }
            group.addTask {
                do throws(LatticeClientError) {
                    inputs.push(.links(try await links(client: client, lastListing: lastListing), syncID: id, at: Date()))
                } catch {
                    inputs.push(.syncFailed(step: LatticeState.linkListingStep, message: error.description, at: Date()))
                    if case .timeout = error { return .linksTimedOut }
                }
                return .done
            }
            group.addTask {
                await syncConfig(id: id, client: client, domain: configuration.jsDomain, inputs: inputs)
                return .done
            }
            if configuration.watchWadm {
                group.addTask {
                    do throws(LatticeClientError) {
                        inputs.push(.applications(try await client.applications(), syncID: id, at: Date()))
                    } catch {
                        // No wadm is normal: say so as "no apps", not as a failure.
                        if case .noResponders = error {
                            inputs.push(.applications(nil, syncID: id, at: Date()))
                        } else {
                            inputs.push(.syncFailed(step: "wadm model.get", message: error.description, at: Date()))
                        }
                    }
                    return .done
                }
            }
            var all = Set<String>(), linksTimedOut = false
            for await step in group {
                switch step {
                case .hosts(let hosts): all.formUnion(hosts)
                case .linksTimedOut: linksTimedOut = true
                case .done: break
                }
            }
            return (all, linksTimedOut)
        }
        if linksTimedOut, !Task.isCancelled {
            var patient = client
            patient.timeout = client.timeout * listingPatience
            do throws(LatticeClientError) {
                inputs.push(.links(try await listing(client: patient, lastListing: lastListing), syncID: id, at: Date()))
            } catch {
                inputs.push(.syncFailed(step: LatticeState.linkListingStep, message: error.description, at: Date()))
            }
        }
        inputs.push(.syncFinished(id: id, hostsAnswered: answered, complete: !Task.isCancelled, at: Date()))
    }

    /// What a step of a sync ends with.
    private enum SyncStep: Sendable {
        case hosts(Set<String>)
        case linksTimedOut
        case done
    }

    /// The ping and every host's inventory (`LatticeClient.hostSync`, at most `maxInFlight`
    /// `host.get` requests out at once), into the gate a batch at a time as they arrive.
    private static func syncHosts(id: Int, client: LatticeClient, maxInFlight: Int?, inputs: InputGate,
                                  sharing: InventorySharing) async -> Set<String> {
        let batches: AsyncStream<[HostSyncEvent]>
        do {
            // Each ping and inventory shares what it repeats as soon as it is read.
            batches = try client.hostSync(maxInFlight: maxInFlight, share: sharing.share)
        } catch {
            inputs.push(.syncFailed(step: "host.ping", message: error.description, at: Date()))
            return []
        }
        var answered = Set<String>()
        for await batch in batches {
            let now = Date()
            var batchInputs: [LatticeInput] = []
            batchInputs.reserveCapacity(batch.count)
            for event in batch {
                switch event {
                case .pinged(let host):
                    answered.insert(host.id)
                    batchInputs.append(.hostPinged(host, syncID: id, at: now))
                case .inventory(let inventory):
                    batchInputs.append(.inventory(inventory, syncID: id, at: now))
                case .pingFailed(let error):
                    batchInputs.append(.syncFailed(step: "host.ping", message: error.description, at: now))
                case .inventoryFailed(let hostID, let error):
                    batchInputs.append(.syncFailed(step: "host.get \(hostID)", message: error.description, at: now))
                }
            }
            inputs.push(batchInputs)
        }
        return answered
    }

    /// `link.get`, asked once more with three times the wait when it timed out: a big lattice's
    /// listing takes its answering host long to build (and a reply larger than the server's
    /// `max_payload` never comes; then the dashboard says so).
    /// A reply with the bytes of the last one (`lastListing`) is not decoded again: its links
    /// are the last one's.
    static func links(client: LatticeClient, lastListing: LinkListingMemo) async throws(LatticeClientError) -> [Link] {
        try await client.askingAgainAfterTimeout(longerBy: listingPatience) { client throws(LatticeClientError) in
            try await listing(client: client, lastListing: lastListing)
        }
    }

    /// How many times the control timeout a link listing asked again waits (after a timeout, and
    /// once more when a sync's hosts are all in).
    static let listingPatience = 3

    /// One `link.get`, remembered in `lastListing`.
    static func listing(client: LatticeClient, lastListing: LinkListingMemo) async throws(LatticeClientError) -> [Link] {
        let reply = try await client.links(unlessRepeating: lastListing.reply)
        lastListing.reply = reply
        return reply.links
    }

    /// Named config: the names from the `CONFIGDATA_{lattice}` bucket, then `config.get` each.
    private static func syncConfig(id: Int, client: LatticeClient, domain: String?, inputs: InputGate) async {
        let names: [String]
        do {
            let store = try await NATSKeyValue.open(client.connection, bucket: "CONFIGDATA_\(client.lattice)", domain: domain,
                                                    timeout: client.timeout)
            names = try await store.keys()
        } catch {
            // Without JetStream (or the bucket) config names cannot be listed.
            inputs.push(.configs(nil, syncID: id, at: Date()))
            return
        }
        let values = await withTaskGroup(of: (String, [String: String]?).self) { group in
            for name in names where !SecretReference.isReference(name) {
                group.addTask { (name, try? await client.config(name: name)) }
            }
            // Secret references are listed (a link or provider naming one that is not in the
            // store is refused) but never fetched.
            var out: [String: [String: String]] = [:]
            for name in names where SecretReference.isReference(name) { out[name] = [:] }
            for await (name, v) in group { if let v { out[name] = v } }
            return out
        }
        inputs.push(.configs(values, syncID: id, at: Date()))
    }
}

/// The last `link.get` reply a monitor had (its bytes and links), so that the same bytes are
/// not decoded again. Costs the reply's bytes and the array of its links (their strings and
/// lists are the model's: it keeps a listed link's copy); after a listing that changed, the
/// links that did not change are held twice (the model keeps its older copy) until the lattice's
/// links change again.
final class LinkListingMemo: Sendable {
    private let last = Mutex<LinkListingReply?>(nil)

    var reply: LinkListingReply? {
        get { last.withLock { $0 } }
        set { last.withLock { $0 = newValue } }
    }
}

/// Something that happens once (`fire`), waited for (`wait`).
final class OneShot: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func fire() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            guard !s.fired else { return [] }
            s.fired = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var hasFired: Bool { state.withLock { $0.fired } }

    /// Returns once it fired, or after `bound` (then it counts as fired).
    func wait(atMost bound: Duration) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: bound)
            self?.fire()
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { s in
                if !s.fired { s.waiters.append(c) }
                return s.fired
            }
            if fired { c.resume() }
        }
        timer.cancel()
    }
}
