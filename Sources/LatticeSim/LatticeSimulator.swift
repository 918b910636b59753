import Foundation
import NATSKit

/// A simulated wasmCloud 1.x lattice on a real NATS server. Its hosts subscribe to the same
/// control subjects with the same queue groups as a 1.x host, answer with the same bodies and
/// messages, and publish the same CloudEvents, heartbeats, health events and wRPC traffic; a
/// client cannot tell it from real hosts. Faults can be scripted (see `SimulatedFault`).
///
/// It shares no wire type with the client: subjects, request bodies, replies and events are
/// read and written here from the protocol reference's shapes (`SimSubjects`, `SimJSON`,
/// `SimulatedEvent`), so a wrong key in the client's types shows up against it.
public actor LatticeSimulator {
    public let configuration: SimulatorConfiguration
    let connection: NATSConnection
    let subjects: SimSubjects
    var world: SimulatedLattice
    /// Every host's own subjects (four a host, as a 1.x host subscribes them), delivered into one
    /// buffer and handled by one task: no task or buffer per host.
    private let hostSubscriptions = NATSSubscriptionGroup()
    private var sharedSubscriptions: [NATSSubscription] = []
    private var tasks: [Task<Void, Never>] = []
    private var started = false
    /// The `CONFIGDATA_{lattice}` bucket, when the server has JetStream (as a 1.x host keeps it).
    private var configStore: NATSKeyValue?
    private var rng = SystemRandomNumberGenerator()
    /// Counters for tests and the demo.
    public private(set) var eventsPublished = 0
    public private(set) var invocationsSent = 0
    public private(set) var invocationsServed = 0
    public private(set) var faultsTriggered: [SimulatedFault] = []
    /// Every control request that is not a read (ping, get), in arrival order.
    public private(set) var receivedRequests: [ReceivedRequest] = []
    /// How many reads (ping, `host.get`, `link.get`, config and claims gets) arrived, per subject.
    private var readCounts: [String: Int] = [:]
    /// Operations answered by a rule instead of as a host would (see `setRule`).
    private var rules: [SimulatedOperation: SimulatedRequestRule] = [:]
    /// The providers' own connection (each provider process has one; here one for all, with
    /// cnats' shared delivery threads) and their health subscriptions by `host/provider`.
    private var providerConnection: NATSConnection?
    private var healthSubscriptions: [String: NATSSubscription] = [:]
    /// Each host's `Host` and `HostInventory` without the uptime, encoded once and reused while the
    /// host stays as it was encoded: an idle host's ping reply, `host.get` and heartbeat cost a
    /// splice of its uptime, not a JSON encoding.
    private var encodedHosts: [String: EncodedHost] = [:]
    private struct EncodedHost {
        var host: SimulatedHost
        var info: SimJSON.UptimeSplice?
        var inventory: SimJSON.UptimeSplice?
    }
    /// Health probes the providers answered (or, silent, received), for tests.
    public private(set) var healthProbesReceived = 0
    /// Times a host's ping reply and inventory were encoded anew (it changed), for tests.
    public private(set) var hostEncodings = 0
    /// Times the health endpoints were brought in line with every running provider (a walk over
    /// all hosts), for tests.
    public private(set) var healthEndpointScans = 0

    public init(connection: NATSConnection, configuration: SimulatorConfiguration = SimulatorConfiguration()) {
        self.connection = connection
        self.configuration = configuration
        self.subjects = SimSubjects(prefix: configuration.ctlTopicPrefix, lattice: configuration.lattice)
        var world = SimulatedLattice(lattice: configuration.lattice, version: configuration.version)
        world.builtinProviders = configuration.builtinProviders
        world.healthAnswers = configuration.healthAnswers
        world.natsURL = connection.connectedServer ?? connection.options.servers.first ?? world.natsURL
        self.world = world
    }

    /// IDs of the hosts, in creation order (including stopped or vanished ones).
    public var hostIDs: [String] { world.hosts.map(\.id) }

    /// IDs of the hosts that are up.
    public var runningHostIDs: [String] { world.runningHosts.map(\.id) }

    /// What each running host runs now (what its `host.get` would list).
    public func inventories() -> [SimulatedInventory] {
        world.runningHosts.map(SimulatedInventory.init)
    }

    public var simulatedLinks: [SimulatedLink] { world.links }
    public var configNames: [String] { world.configs.keys.sorted() }

    // MARK: - Life cycle

    /// Creates the hosts and workload, subscribes, announces the hosts and starts the timers.
    public func start() async throws {
        guard !started else { return }
        started = true
        let now = Date()
        let labelSets = DemoWorkload.labelSets.map {
            ["hostcore.arch": "x86_64", "hostcore.os": "linux", "hostcore.osfamily": "unix"].merging($0) { a, _ in a }
        }
        for local in 0..<max(0, configuration.hosts) {
            world.addHost(makeHost(index: configuration.firstHostIndex + local, now: now, labelSets: labelSets))
        }
        if configuration.answersLatticeWide {
            configStore = try? await NATSKeyValue.open(connection, bucket: "CONFIGDATA_\(configuration.lattice)", create: true,
                                                       timeout: .milliseconds(500))
        }
        try subscribeShared()
        consumeHostRequests()
        for host in world.hosts { try subscribe(host: host.id) }
        try connection.flush(timeout: .seconds(10))

        for host in world.hosts {
            publish(.hostStarted(friendlyName: host.friendlyName, labels: host.labels, version: configuration.version), from: host.id)
        }
        if configuration.workload && !world.hosts.isEmpty {
            if let scale = configuration.scale { deployScaleWorkload(scale, now: now) } else { deployWorkload(now: now) }
            for name in world.configs.keys.sorted() { await mirrorConfig(name) }
        }
        // Encode every host once now, with its workload, so that the first ping is answered as fast
        // as the next (encoded before the workload, every host was encoded again for the first
        // ping: ~4.6 s of a process at 5,000 hosts).
        for i in world.hosts.indices { _ = encoded(i) }
        // Encode the link listing once now, so that the first `link.get` is answered as fast as the next.
        if configuration.answersLatticeWide { _ = world.linkListing() }
        if configuration.faults.contains(.failingHealth), let first = world.hosts.first {
            // One provider unhealthy from its very first probe: 1.x only ever says "status" for it.
            _ = startProviderNow(on: first.id, id: "flaky-blobstore", ref: "ghcr.io/wasmcloud/blobstore-fs-unhealthy:0.10.0",
                                 app: nil, now: now)
        }
        var providerOptions = connection.options
        providerOptions.name = "latticesim-providers"
        providerOptions.globalMessageDelivery = true
        providerConnection = try? await NATSConnection.connect(providerOptions)
        syncHealthEndpoints()
        try? providerConnection?.flush()
        startTimers()
    }

    /// Host `index` of the lattice: its ID and name at random, or derived from `hostSeed`.
    private func makeHost(index n: Int, now: Date, labelSets: [[String: String]]) -> SimulatedHost {
        // One dictionary a label set, shared (copy on write) by the hosts that have it.
        var labels = labelSets[n % labelSets.count]
        let id: String
        var name: String
        if let seed = configuration.hostSeed {
            var derived = SplitMix64.host(n, seed: seed)
            let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: derived.next().littleEndian, Array.init) }
            id = (NKey.fromRawSeed(bytes, kind: .server) ?? NKey.generate(.server)).publicKey
            name = FriendlyName.make(using: &derived)
        } else {
            id = NKey.generate(.server).publicKey
            name = FriendlyName.make(using: &rng)
        }
        if configuration.hostile && n == 0 {
            name = HostileWorkload.hostName
            labels.merge(HostileWorkload.labels) { a, _ in a }
        }
        return SimulatedHost(id: id, friendlyName: name, labels: labels, startedAt: now)
    }

    /// Stops every host gracefully (`host_stopped` for each running one) and ends all activity.
    public func stop() async {
        for t in tasks { t.cancel() }
        tasks = []
        for host in world.runningHosts {
            publish(.hostStopped(labels: host.labels), from: host.id)
        }
        for i in world.hosts.indices where world.hosts[i].life == .running { world.hosts[i].life = .stopped }
        hostSubscriptions.unsubscribeAll()
        sharedSubscriptions.forEach { $0.unsubscribe() }
        sharedSubscriptions = []
        healthSubscriptions.values.forEach { $0.unsubscribe() }
        healthSubscriptions = [:]
        try? connection.flush()
        providerConnection?.close()
        providerConnection = nil
    }

    // MARK: - Provider health endpoints

    /// From now on the provider answers health probes so (on every host that runs it, or only on
    /// `host`); the host's own probes see the same answer.
    public func setHealthAnswer(_ answer: SimulatedHealthAnswer, provider: String, host: String? = nil) {
        world.healthAnswers[provider] = answer
        for i in world.hosts.indices where host == nil || world.hosts[i].id == host {
            guard world.hosts[i].providers[provider] != nil else { continue }
            world.hosts[i].providers[provider]!.behaviour = answer.behaviour
            world.hosts[i].providers[provider]!.healthMessage = answer.message
        }
        syncHealthEndpoints()
        try? providerConnection?.flush()
    }

    /// Subscribes each running binary provider to its health subject, as the provider SDK does,
    /// and unsubscribes the ones that stopped, vanished with their host or have no endpoint.
    private func syncHealthEndpoints() {
        guard let providerConnection else { return }
        healthEndpointScans += 1
        var wanted: [String: String] = [:]
        for host in world.runningHosts {
            for p in host.providers.values where p.behaviour != .noEndpoint && SimulatedLattice.builtinName(p.imageRef) == nil {
                wanted["\(host.id)/\(p.id)"] = p.id
            }
        }
        for (key, sub) in healthSubscriptions where wanted[key] == nil {
            sub.unsubscribe()
            healthSubscriptions[key] = nil
        }
        for (key, providerID) in wanted where healthSubscriptions[key] == nil {
            let hostID = String(key.prefix { $0 != "/" })
            let subject = SimulatedHealthAnswer.subject(lattice: configuration.lattice, providerID: providerID)
            guard let sub = try? providerConnection.subscribe(subject, bufferLimit: 256) else { continue }
            healthSubscriptions[key] = sub
            consume(sub) { await $0.answerHealthProbe($1, host: hostID, provider: providerID) }
        }
    }

    private func answerHealthProbe(_ message: NATSMessage, host: String, provider: String) {
        guard let i = world.index(ofRunning: host), let p = world.hosts[i].providers[provider] else { return }
        healthProbesReceived += 1
        guard let to = message.reply, let body = SimulatedHealthAnswer.reply(p.behaviour, message: p.healthMessage) else { return }
        try? providerConnection?.publish(to, payload: body)
    }

    // MARK: - Recording and rules

    /// From now on, answer `operation` by `rule` (nil: answer as a host does again). Rules apply
    /// to reads (`host.get`, `link.get`, config and claims gets) too; not to `host.ping`.
    public func setRule(_ rule: SimulatedRequestRule?, for operation: SimulatedOperation) {
        rules[operation] = rule
    }

    /// Forgets the recorded requests.
    public func clearReceivedRequests() {
        receivedRequests = []
    }

    /// How many reads arrived on `subject` (e.g. `wasmbus.ctl.v1.default.host.get.N…`).
    public func reads(of subject: String) -> Int {
        readCounts[subject] ?? 0
    }

    /// The recorded requests of one operation.
    public func received(_ operation: SimulatedOperation) -> [ReceivedRequest] {
        receivedRequests.filter { $0.operation == operation }
    }

    /// Records a request (a read is counted, one that changes something kept), then applies a
    /// rule if there is one. Returns true when the rule answered (or dropped) it.
    private func recordAndApplyRule(_ message: NATSMessage) -> Bool {
        let parsed = subjects.parse(message.subject)
        if let op = parsed?.operation, op.isRead {
            readCounts[message.subject, default: 0] += 1
        } else {
            receivedRequests.append(ReceivedRequest(subject: message.subject, operation: parsed?.operation, target: parsed?.target,
                                                    body: message.data, at: Date()))
        }
        guard let op = parsed?.operation, let rule = rules[op] else { return false }
        switch rule {
        case .refuse(let text):
            respond(message, .error(text))
            // A 1.2+ host follows a refused link put with `linkdef_set_failed`.
            if op == .linkPut, let host = world.firstRunningHostID, let link = SimRequest(message.data).flatMap(SimulatedLink.init(request:)) {
                publish(.linkSetFailed(link, error: text), from: host)
            }
        case .ignore: break
        case .ignoreNext(let n):
            rules[op] = n > 1 ? .ignoreNext(n - 1) : nil
            if n < 1 { return false }
        }
        return true
    }

    // MARK: - Subscriptions

    private func consume(_ sub: NATSSubscription, _ handle: @escaping @Sendable (LatticeSimulator, NATSMessage) async -> Void) {
        tasks.append(Task { [weak self] in
            for await batch in sub {
                guard let self else { return }
                for message in batch { await handle(self, message) }
            }
        })
    }

    private func subscribeShared() throws {
        let base = subjects.base
        var shared: [(String, String?, @Sendable (LatticeSimulator, NATSMessage) async -> Void)] = [
            (subjects.subject(.hostPing), nil, { await $0.answerPing($1) }),
            (subjects.subject(.componentAuction), nil, { await $0.answerAuction($1, component: true) }),
            (subjects.subject(.providerAuction), nil, { await $0.answerAuction($1, component: false) }),
            (subjects.subject(.registryPut), nil, { await $0.answerRegistryPut($1) }),
            ("\(configuration.lattice).*.wrpc.>", nil, { await $0.serveInvocation($1) }),
        ]
        if configuration.answersLatticeWide {
            let answerShared: @Sendable (LatticeSimulator, NATSMessage) async -> Void = { await $0.answerShared($1) }
            shared += [
                ("\(base).link.*", "\(base).link", answerShared),
                (subjects.subject(.claimsGet), "\(base).claims", answerShared),
                ("\(base).config.>", "\(base).config", answerShared),
            ]
        }
        for (subject, queue, handler) in shared {
            let sub = try connection.subscribe(subject, queue: queue)
            sharedSubscriptions.append(sub)
            consume(sub, handler)
        }
        if configuration.wadm && configuration.answersLatticeWide {
            for subject in SimulatedWadm(lattice: configuration.lattice, version: configuration.wadmVersion).subscriptions {
                let sub = try connection.subscribe(subject, queue: "wadm_server")
                sharedSubscriptions.append(sub)
                consume(sub) { await $0.answerWadm($1) }
            }
        }
    }

    /// The four subjects a 1.x host subscribes for itself (§1.2). Each is a real subscription on
    /// the server, so a request to a host that is gone gets "no responders", as with real hosts.
    private func hostSubjects(_ id: String) -> [String] {
        ["component", "provider", "label", "host"].map { "\(subjects.base).\($0).*.\(id)" }
    }

    private func subscribe(host id: String) throws {
        for subject in hostSubjects(id) { try connection.subscribe(subject, into: hostSubscriptions) }
    }

    private func dropSubscriptions(host id: String) {
        for subject in hostSubjects(id) { hostSubscriptions.unsubscribe(subject) }
    }

    private func consumeHostRequests() {
        let group = hostSubscriptions
        tasks.append(Task { [weak self] in
            for await batch in group {
                guard let self else { return }
                await self.answerHostRequests(batch)
            }
        })
    }

    private func answerHostRequests(_ batch: [NATSMessage]) {
        for message in batch { answerHostRequest(message) }
    }

    // MARK: - Answering

    private func respond(_ message: NATSMessage, _ reply: SimulatedLattice.Reply) {
        guard let to = message.reply else { return }
        try? connection.publish(to, payload: reply.body)
    }

    private func answerPing(_ message: NATSMessage) {
        let now = Date()
        for i in world.hosts.indices where world.hosts[i].life == .running {
            respond(message, .ok(encodedResponse: encodedHostInfo(i, now: now)))
        }
    }

    private func answerAuction(_ message: NATSMessage, component: Bool) {
        if recordAndApplyRule(message) { return }
        let replies = component ? world.componentAuction(body: message.data) : world.providerAuction(body: message.data)
        for r in replies { respond(message, r) }
    }

    private func answerRegistryPut(_ message: NATSMessage) {
        if recordAndApplyRule(message) { return }
        for _ in world.runningHosts { respond(message, .ok("successfully put registries")) }
    }

    private func answerShared(_ message: NATSMessage) async {
        guard let answering = world.firstRunningHostID else { return }
        if recordAndApplyRule(message) { return }
        guard let parsed = subjects.parse(message.subject) else {
            respond(message, .error(SimulatedLattice.unsupportedSubject))
            return
        }
        let outcome = world.handleShared(parsed.operation, target: parsed.target, body: message.data, answeringHost: answering)
        // A host writes the config store before it answers.
        if let name = parsed.target, parsed.operation == .configPut || parsed.operation == .configDelete {
            await mirrorConfig(name)
        }
        apply(outcome, to: message, changing: !parsed.operation.isRead)
    }

    /// Writes one named config to the `CONFIGDATA` bucket as a host does (JSON string map), or
    /// deletes it.
    private func mirrorConfig(_ name: String) async {
        guard let store = configStore else { return }
        if let values = world.configs[name] {
            try? await store.put(name, SimJSON.encode(values))
        } else {
            try? await store.delete(name)
        }
    }

    private func answerHostRequest(_ message: NATSMessage) {
        guard let parsed = subjects.parse(message.subject), let hostID = parsed.target else {
            respond(message, .error(SimulatedLattice.unsupportedSubject))
            return
        }
        guard let i = world.index(ofRunning: hostID) else { return }
        if recordAndApplyRule(message) { return }
        if parsed.operation == .hostGet {
            respond(message, .ok(encodedResponse: encodedInventory(i, now: Date())))
            return
        }
        let outcome = world.handle(parsed.operation, hostID: hostID, body: message.data, now: Date())
        apply(outcome, to: message, changing: !parsed.operation.isRead)
    }

    /// Host `i`'s cached encodings, made again when the host changed since.
    private func encoded(_ i: Int) -> EncodedHost {
        let host = world.hosts[i]
        if let cached = encodedHosts[host.id], cached.host.encodesAlike(host) { return cached }
        hostEncodings += 1
        let fresh = EncodedHost(host: host, info: SimJSON.UptimeSplice(withoutUptime: world.hostInfoWithoutUptime(host)),
                                inventory: SimJSON.UptimeSplice(withoutUptime: world.inventoryWithoutUptime(host)))
        encodedHosts[host.id] = fresh
        return fresh
    }

    private func encodedHostInfo(_ i: Int, now: Date) -> Data {
        let host = world.hosts[i]
        guard let splice = encoded(i).info else { return SimJSON.encode(world.hostInfo(host, now: now)) }
        return splice.with(uptimeSeconds: host.uptimeSeconds(at: now), human: host.uptimeHuman(at: now))
    }

    private func encodedInventory(_ i: Int, now: Date) -> Data {
        let host = world.hosts[i]
        guard let splice = encoded(i).inventory else { return SimJSON.encode(world.inventory(host, now: now)) }
        return splice.with(uptimeSeconds: host.uptimeSeconds(at: now), human: host.uptimeHuman(at: now))
    }

    /// Sends what `outcome` says; after an operation `changing` the lattice, the health endpoints
    /// follow its providers. A read changes nothing, so it is answered without walking every host
    /// (a dashboard's start asks a config.get a named config: at 10,000 hosts that walk made each
    /// one cost ~15 ms, and the host ~1.5 s of a core while the dashboard synced).
    private func apply(_ outcome: SimulatedLattice.Outcome, to message: NATSMessage, changing: Bool) {
        // Events due at once (1.x provider stop) go out before the reply; the rest after.
        let immediate = outcome.events.filter { $0.delay == .zero }
        let later = outcome.events.filter { $0.delay > .zero }
        for e in immediate { publish(e.event, from: e.source) }
        if let reply = outcome.reply { respond(message, reply) }
        if let stopped = outcome.stoppedHost { dropSubscriptions(host: stopped) }
        if !later.isEmpty { publishLater(later) }
        if changing { syncHealthEndpoints() }
    }

    // MARK: - Events

    func publish(_ event: SimulatedEvent, from source: String) {
        do {
            try connection.publish(SimulatedEvent.subject(lattice: configuration.lattice, type: event.type), payload: event.envelope(source: source))
            eventsPublished += 1
        } catch {
            // The connection is down; cnats buffers while reconnecting, anything else is lost like a host's would be.
        }
    }

    /// A fresh start's `component_scaled` (twice on a 1.6+ host).
    private func publishStarted(_ event: SimulatedEvent, from host: String) {
        for e in world.startedEvents(event, host: host, delay: .zero) { publish(e.event, from: e.source) }
    }

    private func publishLater(_ events: [SimulatedLattice.Emitted]) {
        let sorted = events.sorted { $0.delay < $1.delay }
        tasks.append(Task { [weak self] in
            var waited = Duration.zero
            for e in sorted {
                try? await Task.sleep(for: e.delay - waited)
                waited = e.delay
                guard !Task.isCancelled, let self else { return }
                await self.publish(e.event, from: e.source)
            }
        })
    }

    // MARK: - Workload

    private func deployWorkload(now: Date) {
        let hostCount = world.hosts.count
        for (name, values) in DemoWorkload.configs.sorted(by: { $0.key < $1.key }) {
            world.configs[name] = values
            publish(.configSet(name), from: world.hosts[0].id)
        }
        for spec in DemoWorkload.providers {
            let host = world.hosts[spec.host % hostCount].id
            _ = startProviderNow(on: host, id: spec.id, ref: spec.imageRef, app: spec.app, now: now, name: spec.name)
        }
        for spec in DemoWorkload.components {
            for h in Set(spec.hosts.map { $0 % hostCount }).sorted() {
                let host = world.hosts[h]
                let annotations = DemoWorkload.annotations(app: spec.app, scaler: "\(spec.app ?? "none")-\(spec.id)")
                let component = SimulatedComponent(id: spec.id, imageRef: spec.imageRef, maxInstances: spec.instances,
                                                   annotations: annotations, name: spec.name)
                world.hosts[h].components[spec.id] = component
                world.specs.insert(spec.id)
                publishStarted(.componentScaled(host: host.id, id: spec.id, imageRef: spec.imageRef, maxInstances: spec.instances,
                                                annotations: annotations), from: host.id)
            }
        }
        for spec in DemoWorkload.links {
            let link = SimulatedLink(sourceID: spec.source, target: spec.target, witNamespace: spec.namespace, witPackage: spec.package,
                            interfaces: spec.interfaces, sourceConfig: spec.sourceConfig, targetConfig: spec.targetConfig)
            world.links.append(link)
            world.specs.insert(link.sourceID)
            publish(.linkSet(link), from: world.hosts[0].id)
        }
        if configuration.hostile { deployHostileWorkload(now: now) }
    }

    /// The extra component, provider, link and config of `SimulatorConfiguration.hostile`, on the first host.
    private func deployHostileWorkload(now: Date) {
        let host = world.hosts[0].id
        world.configs[HostileWorkload.configName] = HostileWorkload.config
        publish(.configSet(HostileWorkload.configName), from: host)
        _ = startProviderNow(on: host, id: HostileWorkload.providerID, ref: "ghcr.io/evil/provider:6.6.6", app: nil, now: now,
                             name: HostileWorkload.providerName)
        let component = SimulatedComponent(id: HostileWorkload.componentID, imageRef: "ghcr.io/evil/component:6.6.6",
                                           maxInstances: 1, annotations: [:], name: HostileWorkload.componentName)
        world.hosts[0].components[component.id] = component
        world.specs.insert(component.id)
        publishStarted(.componentScaled(host: host, id: component.id, imageRef: component.imageRef, maxInstances: 1, annotations: [:]),
                       from: host)
        let link = SimulatedLink(sourceID: HostileWorkload.componentID, target: HostileWorkload.providerID, name: HostileWorkload.linkName,
                        witNamespace: "evil", witPackage: "evil", interfaces: ["evil"], sourceConfig: [HostileWorkload.configName])
        world.links.append(link)
        world.specs.insert(link.sourceID)
        publish(.linkSet(link), from: host)
    }

    /// The scale workload's share of this simulator: component `i` and provider `i` go on lattice
    /// host `i % latticeHosts`, deployed by the process that holds that host; configs and links
    /// (lattice-wide data) by the process that answers the lattice-wide requests.
    private func deployScaleWorkload(_ scale: ScaleWorkload, now: Date) {
        let placement = ScalePlacement(latticeHosts: configuration.latticeHosts ?? world.hosts.count,
                                       first: configuration.firstHostIndex, count: world.hosts.count)
        if configuration.answersLatticeWide {
            for i in 0..<scale.configs {
                world.configs[scale.configName(i)] = ["url": "redis://10.0.\(i / 250).\(i % 250):6379", "pool": String(1 + i % 8)]
                publish(.configSet(scale.configName(i)), from: world.hosts[0].id)
            }
        }
        // Their first health checks are spread over one interval, as providers started one after
        // another are: 20,000 checks due at once would hold every host of the process for seconds.
        let spread = configuration.healthCheckInterval / max(1, scale.providers)
        for i in placement.indexes(below: scale.providers) {
            _ = startProviderNow(on: world.hosts[placement.localHost(of: i)].id, id: scale.providerID(i),
                                 ref: "ghcr.io/example/provider-\(i % 20):0.\(i % 7).0", app: nil, now: now,
                                 firstProbe: configuration.firstHealthCheckDelay + spread * i)
        }
        for i in placement.indexes(below: scale.components) {
            let h = placement.localHost(of: i)
            let app = scale.app(i)
            let annotations = DemoWorkload.annotations(app: app, scaler: "\(app)-\(scale.componentID(i))")
            let ref = "ghcr.io/example/\(app)/component:0.\(i % 5).0"
            world.hosts[h].components[scale.componentID(i)] = SimulatedComponent(id: scale.componentID(i), imageRef: ref, maxInstances: UInt32(1 + i % 16),
                                                                                 annotations: annotations, name: nil)
            world.specs.insert(scale.componentID(i))
            publishStarted(.componentScaled(host: world.hosts[h].id, id: scale.componentID(i), imageRef: ref,
                                            maxInstances: UInt32(1 + i % 16), annotations: annotations),
                           from: world.hosts[h].id)
        }
        guard configuration.answersLatticeWide else { return }
        for i in 0..<scale.links {
            guard let link = scale.link(i) else { break }
            world.links.append(link)
            world.specs.insert(link.sourceID)
            publish(.linkSet(link), from: world.hosts[0].id)
        }
    }

    /// Starts a provider directly (workload and scripted faults), with its events.
    @discardableResult
    func startProviderNow(on hostID: String, id: String, ref: String, app: String?, now: Date, name: String? = nil,
                          firstProbe: Duration? = nil) -> Bool {
        guard let i = world.index(ofRunning: hostID) else { return false }
        let annotations = DemoWorkload.annotations(app: app, scaler: "\(app ?? "none")-\(id)")
        let body = SimJSON.encode(["provider_id": id, "provider_ref": ref, "host_id": hostID, "config": [String](),
                                   "annotations": annotations] as [String: Any])
        let outcome = world.startProvider(i, body: body, now: now, firstProbe: firstProbe ?? configuration.firstHealthCheckDelay)
        if let name { world.hosts[i].providers[id]?.name = name }
        for e in outcome.events { publish(e.event, from: e.source) }
        syncHealthEndpoints()
        return outcome.events.contains { $0.event.type == "provider_started" }
    }

    // MARK: - Timers

    private func startTimers() {
        // One timer for every host's heartbeat, spread over the interval (`HeartbeatSchedule`);
        // beats that fall due close together go out in one wake-up (at most one each 200 ms: at
        // 10,000 hosts about 67 beats a wake-up, five wake-ups a second).
        let schedule = HeartbeatSchedule(hosts: world.hosts.count, interval: configuration.heartbeatInterval)
        let start = ContinuousClock.now
        tasks.append(Task { [weak self] in
            var next = 0
            var woke = start
            while !Task.isCancelled {
                let due = start + schedule.offset(of: next)
                try? await Task.sleep(until: max(due, woke + .milliseconds(200)), clock: .continuous)
                woke = .now
                guard !Task.isCancelled, let self else { return }
                let beats = schedule.due(from: next, by: woke - start)
                next = beats.upperBound
                await self.publishHeartbeats(of: beats.map(schedule.host(of:)))
            }
        })
        tasks.append(Task { [weak self] in
            var anyProvider = true
            while !Task.isCancelled {
                // Every 100 ms while providers run; with none (idle hosts), once a second.
                try? await Task.sleep(for: anyProvider ? .milliseconds(100) : .seconds(1))
                guard !Task.isCancelled, let self else { return }
                anyProvider = await self.runHealthProbes()
            }
        })
        if configuration.invocationsPerSecond > 0 {
            let period = Duration.seconds(1.0 / configuration.invocationsPerSecond)
            tasks.append(Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: period)
                    guard !Task.isCancelled, let self else { return }
                    await self.sendInvocation()
                }
            })
        }
        if !configuration.faults.isEmpty {
            let delay = configuration.faultDelay
            let faults = SimulatedFault.allCases.filter { configuration.faults.contains($0) }
            tasks.append(Task { [weak self] in
                try? await Task.sleep(for: delay)
                guard !Task.isCancelled, let self else { return }
                for f in faults { await self.trigger(f) }
            })
        }
    }

    /// Publishes the heartbeats of these hosts (indexes in creation order) that are running.
    func publishHeartbeats(of indexes: [Int]) {
        let now = Date()
        for i in indexes where world.hosts.indices.contains(i) && world.hosts[i].life == .running {
            publish(.heartbeat(encoded: encodedInventory(i, now: now)), from: world.hosts[i].id)
        }
    }

    /// Runs the probes that are due; whether any running host has a provider.
    @discardableResult
    func runHealthProbes() -> Bool {
        for e in world.probeHealth(now: Date(), interval: configuration.healthCheckInterval) {
            publish(e.event, from: e.source)
        }
        return world.hosts.contains { !$0.providers.isEmpty && $0.life == .running }
    }

    // MARK: - Faults

    /// Makes a scripted fault happen now. Returns what it did, for logs.
    @discardableResult
    public func trigger(_ fault: SimulatedFault) -> String {
        faultsTriggered.append(fault)
        switch fault {
        case .providerCrash:
            guard let (h, id) = pickProvider(preferring: "rust_http_kv-kvredis") else { return "no provider to crash" }
            world.hosts[h].providers[id]?.behaviour = .silent
            return "provider \(id) on \(world.hosts[h].id) crashed"
        case .failingHealth:
            guard let (h, id) = pickProvider(preferring: "nats-messaging") else { return "no provider to fail" }
            world.hosts[h].providers[id]?.behaviour = .unhealthy
            world.hosts[h].providers[id]?.healthMessage = "nats: connection to the messaging backend lost"
            return "provider \(id) on \(world.hosts[h].id) fails its health checks"
        case .failedStart:
            guard let host = world.runningHosts.first else { return "no host" }
            let ref = "ghcr.io/example/missing-provider:1.0.0"
            _ = startProviderNow(on: host.id, id: "missing-provider", ref: ref, app: nil, now: Date())
            return "provider start of \(ref) failed on \(host.id)"
        case .vanishingHost:
            // Prefer a host whose providers are fine, so the other faults stay visible.
            let running = world.hosts.indices.filter { world.hosts[$0].life == .running }
            guard let i = running.last(where: { world.hosts[$0].providers.values.allSatisfy { $0.behaviour == .healthy } })
                ?? running.last else { return "no host" }
            world.hosts[i].life = .vanished
            dropSubscriptions(host: world.hosts[i].id)
            syncHealthEndpoints()
            return "host \(world.hosts[i].id) vanished"
        }
    }

    private func pickProvider(preferring id: String) -> (Int, String)? {
        for i in world.hosts.indices where world.hosts[i].life == .running && world.hosts[i].providers[id] != nil {
            return (i, id)
        }
        for i in world.hosts.indices where world.hosts[i].life == .running {
            if let any = world.hosts[i].providers.keys.sorted().first(where: { world.hosts[i].providers[$0]?.behaviour == .healthy }) {
                return (i, any)
            }
        }
        return nil
    }

    // MARK: - wRPC traffic

    private var nextLink = 0
    private let inboxPrefix = "_INBOX.latticesim." + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)

    func sendInvocation() {
        guard let index = world.liveLinkIndex(from: nextLink) else { return }
        let link = world.links[index]
        nextLink = index + 1
        let spec = DemoWorkload.links.first { $0.source == link.sourceID && $0.target == link.target }
        let version = spec?.version ?? "0.2.0"
        let function = spec?.function ?? "handle"
        let interface = link.interfaces.first ?? "handler"
        // Every seventh call goes to a bare function of a component (no instance token).
        let bare = invocationsSent % 7 == 6 && world.runningHosts.contains { $0.components[link.target] != nil }
        let instance = "\(link.witNamespace):\(link.witPackage)/\(interface)@\(version)"
        let subject = WRPCTraffic.subject(lattice: configuration.lattice, target: link.target, instance: bare ? nil : instance,
                                          function: bare ? WRPCTraffic.bareFunction : function)
        let sourceIsProvider = world.runningHosts.contains { $0.providers[link.sourceID] != nil }
        var headers = ["source-id": link.sourceID]
        if sourceIsProvider { headers["target-id"] = link.target } else { headers["link-name"] = link.name }
        let reply = "\(inboxPrefix).\(invocationsSent)"
        var payload = WRPCTraffic.parameters(for: function, sequence: invocationsSent)
        if configuration.hostile { payload += HostileWorkload.payload }
        try? connection.publish(subject, payload: payload, reply: reply, headers: headers)
        invocationsSent += 1
    }

    func serveInvocation(_ message: NATSMessage) {
        guard let reply = message.reply, let parsed = WRPCTraffic.target(of: message.subject, lattice: configuration.lattice),
              world.answers(parsed) else { return }
        invocationsServed += 1
        // The wRPC handshake: an empty reply carrying the server's own inbox, then the results.
        let serverInbox = "\(inboxPrefix).srv.\(invocationsServed)"
        try? connection.publish(reply, payload: Data(), reply: serverInbox)
        let latency = Duration.milliseconds(Int64.random(in: 1...15))
        let results = WRPCTraffic.results(sequence: invocationsServed)
        let connection = self.connection
        tasks.removeAll { $0.isCancelled }
        Task {
            try? await Task.sleep(for: latency)
            // The results (one message or several), then the empty message that closes the stream.
            for chunk in results { try? connection.publish(reply + ".results", payload: chunk) }
            try? connection.publish(reply + ".results", payload: Data())
        }
    }

    // MARK: - wadm

    func answerWadm(_ message: NATSMessage) {
        guard let to = message.reply else { return }
        let wadm = SimulatedWadm(lattice: configuration.lattice, version: configuration.wadmVersion)
        let apps = Set(DemoWorkload.components.compactMap(\.app) + DemoWorkload.providers.compactMap(\.app)).sorted()
        try? connection.publish(to, payload: wadm.reply(to: message.subject, apps: apps.map { .init(name: $0, status: appStatus($0)) }))
    }

    private func appStatus(_ app: String) -> String {
        let managed = world.runningHosts.flatMap { h in h.providers.values.filter { $0.annotations["wasmcloud.dev/appspec"] == app } }
        return managed.contains { $0.behaviour != .healthy } ? "unhealthy" : "deployed"
    }
}
