import Foundation
import LatticeProtocol

/// The simulated lattice as a value: its hosts, links and named config, and the control
/// operations a wasmCloud 1.x host performs on them, with the host's reply texts. Each operation
/// returns the reply and the events a real host would publish, so the engine is testable without
/// NATS; `LatticeSimulator` puts it on the wire.
struct SimulatedLattice: Sendable {
    var lattice: String
    var version: String
    var natsURL: String = "nats://127.0.0.1:4222"
    var hosts: [SimulatedHost] = []
    var links: [Link] = []
    var configs: [String: [String: String]] = [:]
    /// IDs with a component specification in `LATTICEDATA` (written by a link put from that
    /// source, a component start or a provider start; never removed by a link delete).
    var specs: Set<String> = []
    /// Experimental builtin providers (`wasmcloud+builtin://…`) enabled on the hosts.
    var builtinProviders = false

    init(lattice: String, version: String) {
        self.lattice = lattice
        self.version = version
    }

    /// An event to publish: from which host, its payload, and how long after the reply.
    struct Emitted: Sendable {
        let source: String
        let payload: LatticeEventPayload
        var delay: Duration = .zero
    }

    /// A control reply, already encoded as the `CtlResponse` JSON.
    struct Reply: Sendable {
        let success: Bool
        let message: String
        let body: Data

        static func ok(_ message: String = "") -> Reply {
            make(CtlResponse<NoPayload>(success: true, message: message))
        }

        static func ok<T: Sendable & Equatable & Codable>(_ response: T, message: String = "") -> Reply {
            make(CtlResponse<T>(success: true, message: message, response: response))
        }

        static func error(_ message: String) -> Reply {
            make(CtlResponse<NoPayload>(success: false, message: message))
        }

        private static func make<T>(_ r: CtlResponse<T>) -> Reply {
            Reply(success: r.success, message: r.message, body: (try? WireJSON.encode(r)) ?? Data())
        }
    }

    struct Outcome: Sendable {
        var reply: Reply?
        var events: [Emitted] = []
        /// Host-level effects the wire layer must carry out (unsubscribing a stopped host).
        var stoppedHost: String?
    }

    // MARK: - Lookups

    /// Whether the simulated host version is at least `major.minor`.
    func versionAtLeast(_ major: Int, _ minor: Int) -> Bool {
        let parts = version.split(separator: ".").map { Int($0) ?? 0 }
        let (a, b) = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        return a > major || (a == major && b >= minor)
    }

    func index(ofRunning id: String) -> Int? {
        hosts.firstIndex { $0.id == id && $0.life == .running }
    }

    var runningHosts: [SimulatedHost] { hosts.filter { $0.life == .running } }

    /// Whether a component or provider with this ID runs on any live host.
    func isRunning(_ id: String) -> Bool {
        runningHosts.contains { $0.components[id] != nil || $0.providers[id] != nil }
    }

    /// Whether a provider with this ID runs somewhere and answers (for wRPC serving).
    func answers(_ id: String) -> Bool {
        runningHosts.contains { h in
            if h.components[id] != nil { return true }
            if let p = h.providers[id] { return p.behaviour != .silent }
            return false
        }
    }

    // MARK: - Shapes on the wire

    func hostInfo(_ h: SimulatedHost, now: Date) -> HostInfo {
        HostInfo(
            id: h.id, friendlyName: h.friendlyName, labels: h.labels, lattice: lattice,
            uptimeSeconds: h.uptimeSeconds(at: now), uptimeHuman: h.uptimeHuman(at: now), version: version,
            ctlHost: natsURL, rpcHost: natsURL, jsDomain: nil
        )
    }

    func inventory(_ h: SimulatedHost, now: Date) -> HostInventory {
        HostInventory(
            components: h.components.values.sorted { $0.id < $1.id }.map {
                ComponentDescription(id: $0.id, imageRef: $0.imageRef, name: $0.name, annotations: $0.annotations,
                                     revision: $0.revision, maxInstances: $0.maxInstances, limits: nil)
            },
            providers: h.providers.values.sorted { $0.id < $1.id }.map {
                ProviderDescription(id: $0.id, imageRef: $0.imageRef, name: $0.name, revision: $0.revision,
                                    annotations: $0.annotations)
            },
            hostID: h.id, friendlyName: h.friendlyName, labels: h.labels, version: version,
            uptimeHuman: h.uptimeHuman(at: now), uptimeSeconds: h.uptimeSeconds(at: now)
        )
    }

    // MARK: - Image references

    /// Whether pulling `ref` fails in the simulation: references that name something missing or
    /// broken, and empty ones.
    static func pullFails(_ ref: String) -> Bool {
        let r = ref.lowercased()
        return r.isEmpty || r.contains("missing") || r.contains("broken") || r.contains("doesnotexist")
    }

    /// `http-server` for `wasmcloud+builtin://http-server`; nil for other references.
    static func builtinName(_ ref: String) -> String? {
        let scheme = "wasmcloud+builtin://"
        guard ref.hasPrefix(scheme) else { return nil }
        return String(ref.dropFirst(scheme.count))
    }

    static func displayName(for ref: String) -> String? {
        let last = ref.split(separator: "/").last.map(String.init) ?? ref
        let base = last.split(separator: ":").first.map(String.init) ?? last
        return base.isEmpty ? nil : base
    }

    // MARK: - Host-addressed operations

    mutating func handle(_ operation: CtlOperation, hostID: String, body: Data, now: Date) -> Outcome {
        guard let i = index(ofRunning: hostID) else { return Outcome(reply: nil) }
        switch operation {
        case .hostGet:
            return Outcome(reply: .ok(inventory(hosts[i], now: now)))
        case .hostStop:
            return stopHost(i, body: body, now: now)
        case .componentScale:
            return scale(i, body: body)
        case .componentUpdate:
            return update(i, body: body)
        case .providerStart:
            return startProvider(i, body: body, now: now)
        case .providerStop:
            return stopProvider(i, body: body)
        case .labelPut:
            return putLabel(i, body: body)
        case .labelDelete:
            return deleteLabel(i, body: body)
        default:
            return Outcome(reply: .error(CtlSubjects.unsupportedSubjectMessage))
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: Data) -> T? {
        try? WireJSON.decode(type, from: body)
    }

    private mutating func stopHost(_ i: Int, body: Data, now: Date) -> Outcome {
        var command = StopHostCommand()
        if !WireJSON.isBlank(body) {
            guard let c = decode(StopHostCommand.self, body) else {
                return Outcome(reply: .error("failed to deserialize stop host command"))
            }
            command = c
        }
        let h = hosts[i]
        if let requested = command.hostID, !requested.isEmpty, requested != h.id {
            return Outcome(reply: .error("invalid host_id [\(requested)]"))
        }
        hosts[i].life = .stopped
        let delay = Duration.milliseconds(Int64(min(command.timeout ?? 200, 2000)))
        // A 1.x host publishes only `host_stopped`: no `provider_stopped` for what it ran.
        let events = [Emitted(source: h.id, payload: .hostStopped(HostStoppedEvent(labels: h.labels)), delay: delay)]
        return Outcome(reply: .ok("successfully handled stop host"), events: events, stoppedHost: h.id)
    }

    private mutating func scale(_ i: Int, body: Data) -> Outcome {
        guard let c = decode(ScaleComponentCommand.self, body) else {
            return Outcome(reply: .error("failed to deserialize component scale command"))
        }
        // A host does not check the ID (the Rust client does, before sending).
        let id = c.componentID
        let hostID = hosts[i].id
        let annotations = c.annotations ?? [:]
        var message = ""
        if let existing = hosts[i].components[id] {
            if existing.imageRef != c.componentRef, !c.allowUpdate {
                message = "Requested to scale existing component to a different image reference: \(existing.imageRef) != \(c.componentRef). The component will be scaled but the image reference will not be updated. If you meant to update this component to a new image ref, use the update command."
            } else if existing.imageRef != c.componentRef {
                message = "Requested to scale existing component, with a changed image reference: \(existing.imageRef) != \(c.componentRef). The component will be scaled, and the image reference will be updated afterwards."
            }
            if c.count == 0 {
                hosts[i].components[id] = nil
            } else {
                hosts[i].components[id]?.maxInstances = c.count
                if c.allowUpdate, !c.componentRef.isEmpty { hosts[i].components[id]?.imageRef = c.componentRef }
            }
            let current = hosts[i].components[id] ?? existing
            let event = ComponentScaledEvent(annotations: current.annotations, hostID: hostID, imageRef: current.imageRef,
                                             maxInstances: c.count, componentID: id)
            return Outcome(reply: .ok(message), events: [Emitted(source: hostID, payload: .componentScaled(event), delay: .milliseconds(50))])
        }
        if c.count == 0 {
            let event = ComponentScaledEvent(annotations: annotations, hostID: hostID, imageRef: c.componentRef,
                                             maxInstances: 0, componentID: id)
            return Outcome(reply: .ok(), events: [Emitted(source: hostID, payload: .componentScaled(event), delay: .milliseconds(50))])
        }
        if Self.pullFails(c.componentRef) {
            let event = ComponentScaleFailedEvent(
                annotations: annotations, componentID: id, hostID: hostID, imageRef: c.componentRef, maxInstances: c.count,
                error: "failed to fetch component: failed to pull OCI artifact: manifest unknown")
            return Outcome(reply: .ok(), events: [Emitted(source: hostID, payload: .componentScaleFailed(event), delay: .milliseconds(200))])
        }
        hosts[i].components[id] = SimulatedComponent(
            id: id, imageRef: c.componentRef, maxInstances: c.count, annotations: annotations,
            name: Self.displayName(for: c.componentRef), config: c.config)
        specs.insert(id)
        let event = ComponentScaledEvent(annotations: annotations, hostID: hostID, imageRef: c.componentRef,
                                         maxInstances: c.count, componentID: id)
        return Outcome(reply: .ok(), events: startedEvents(event, host: hostID, delay: .milliseconds(200)))
    }

    /// A fresh start's `component_scaled`: a 1.6+ host publishes it twice, once when the
    /// component starts and once when the scale task ends.
    func startedEvents(_ event: ComponentScaledEvent, host: String, delay: Duration) -> [Emitted] {
        let first = Emitted(source: host, payload: .componentScaled(event), delay: delay)
        guard versionAtLeast(1, 6) else { return [first] }
        return [first, Emitted(source: host, payload: .componentScaled(event), delay: delay + .milliseconds(20))]
    }

    private mutating func update(_ i: Int, body: Data) -> Outcome {
        guard let c = decode(UpdateComponentCommand.self, body) else {
            return Outcome(reply: .error("failed to deserialize component update command"))
        }
        let hostID = hosts[i].id
        guard let existing = hosts[i].components[c.componentID] else {
            return Outcome(reply: .error("component \(c.componentID) not found"))
        }
        if existing.imageRef == c.newComponentRef {
            return Outcome(reply: .ok("component \(c.componentID) already updated to \(c.newComponentRef)"))
        }
        if Self.pullFails(c.newComponentRef) {
            let event = ComponentScaleFailedEvent(
                annotations: existing.annotations, componentID: c.componentID, hostID: hostID, imageRef: c.newComponentRef,
                maxInstances: existing.maxInstances, error: "failed to fetch component: failed to pull OCI artifact: manifest unknown")
            return Outcome(
                reply: .ok("component \(c.componentID) updating from \(existing.imageRef) to \(c.newComponentRef)"),
                events: [Emitted(source: hostID, payload: .componentScaleFailed(event), delay: .milliseconds(200))])
        }
        hosts[i].components[c.componentID]?.imageRef = c.newComponentRef
        if let a = c.annotations { hosts[i].components[c.componentID]?.annotations = a }
        let annotations = hosts[i].components[c.componentID]?.annotations ?? existing.annotations
        // 1.1+ hosts report the new reference in both events (see the protocol notes).
        let up = ComponentScaledEvent(annotations: annotations, hostID: hostID, imageRef: c.newComponentRef,
                                      maxInstances: existing.maxInstances, componentID: c.componentID)
        let down = ComponentScaledEvent(annotations: annotations, hostID: hostID, imageRef: c.newComponentRef,
                                        maxInstances: 0, componentID: c.componentID)
        return Outcome(
            reply: .ok("component \(c.componentID) updating from \(existing.imageRef) to \(c.newComponentRef)"),
            events: [Emitted(source: hostID, payload: .componentScaled(up), delay: .milliseconds(200)),
                     Emitted(source: hostID, payload: .componentScaled(down), delay: .milliseconds(250))])
    }

    mutating func startProvider(_ i: Int, body: Data, now: Date, firstProbe: Duration = .seconds(5)) -> Outcome {
        guard let c = decode(StartProviderCommand.self, body) else {
            return Outcome(reply: .error("failed to deserialize provider start command"))
        }
        let id = c.providerID
        let hostID = hosts[i].id
        if hosts[i].providers[id] != nil {
            return Outcome(reply: .error("provider with that ID is already running"))
        }
        let builtin = Self.builtinName(c.providerRef)
        if let builtin, !builtinProviders, builtin == "http-server" || builtin == "messaging-nats" {
            // The host skips the request without a word: the client times out.
            return Outcome(reply: nil)
        }
        let failure: String?
        if let builtin, !builtinProviders || !["http-server", "http-client", "messaging-nats"].contains(builtin) {
            failure = "failed to start builtin provider \(builtin): the feature is not enabled on this host"
        } else if builtin == nil, Self.pullFails(c.providerRef) {
            failure = "failed to fetch provider: failed to pull OCI artifact: manifest unknown"
        } else if let secret = c.config.first(where: { SecretReference.isReference($0) && configs[$0] == nil }) {
            failure = "Secret reference \(secret) not found in config store"
        } else {
            failure = nil
        }
        if let failure {
            let event = ProviderStartFailedEvent(providerRef: c.providerRef, providerID: id, hostID: hostID, error: failure)
            return Outcome(reply: .ok("successfully started provider"),
                           events: [Emitted(source: hostID, payload: .providerStartFailed(event), delay: .milliseconds(300))])
        }
        let annotations = c.annotations ?? [:]
        var provider = SimulatedProvider(
            id: id, imageRef: c.providerRef, name: Self.displayName(for: c.providerRef), annotations: annotations,
            config: c.config, startedAt: now, nextProbe: now.addingTimeInterval(firstProbe.seconds))
        if c.providerRef.lowercased().contains("unhealthy") { provider.behaviour = .unhealthy }
        // Builtin providers run inside the host: no health task, never probed.
        if builtin != nil { provider.nextProbe = .distantFuture }
        hosts[i].providers[id] = provider
        specs.insert(id)
        let event = ProviderStartedEvent(hostID: hostID, imageRef: c.providerRef, providerID: id, annotations: annotations)
        return Outcome(reply: .ok("successfully started provider"),
                       events: [Emitted(source: hostID, payload: .providerStarted(event), delay: .milliseconds(300))])
    }

    private mutating func stopProvider(_ i: Int, body: Data) -> Outcome {
        guard let c = decode(StopProviderCommand.self, body) else {
            return Outcome(reply: .error("failed to deserialize provider stop command"))
        }
        let hostID = hosts[i].id
        guard let p = hosts[i].providers.removeValue(forKey: c.providerID) else {
            return Outcome(reply: .error("provider with that ID is not running"))
        }
        // 1.x stops synchronously: the event goes out before the reply.
        let event = ProviderStoppedEvent(hostID: hostID, providerID: p.id, annotations: p.annotations, reason: "stop",
                                         instanceID: p.id, publicKey: p.id, linkName: Link.defaultName)
        return Outcome(reply: .ok("successfully stopped provider"),
                       events: [Emitted(source: hostID, payload: .providerStopped(event), delay: .zero)])
    }

    private mutating func putLabel(_ i: Int, body: Data) -> Outcome {
        guard let l = decode(HostLabel.self, body) else {
            return Outcome(reply: .error("failed to deserialize put label request"))
        }
        if l.key.lowercased().hasPrefix("hostcore.") {
            return Outcome(reply: .error("hostcore.* labels cannot be set dynamically"))
        }
        hosts[i].labels[l.key] = l.value
        let h = hosts[i]
        return Outcome(reply: .ok("successfully put label"),
                       events: [Emitted(source: h.id, payload: .labelsChanged(LabelsChangedEvent(hostID: h.id, labels: h.labels)))])
    }

    private mutating func deleteLabel(_ i: Int, body: Data) -> Outcome {
        guard let l = decode(HostLabelIdentifier.self, body) else {
            return Outcome(reply: .error("failed to deserialize delete label request"))
        }
        guard hosts[i].labels.removeValue(forKey: l.key) != nil else {
            return Outcome(reply: .ok("successfully deleted label (no such label)"))
        }
        let h = hosts[i]
        return Outcome(reply: .ok("successfully deleted label"),
                       events: [Emitted(source: h.id, payload: .labelsChanged(LabelsChangedEvent(hostID: h.id, labels: h.labels)))])
    }

    // MARK: - Auctions (every qualifying host answers)

    func componentAuction(body: Data) -> [Reply] {
        guard let r = decode(ComponentAuctionRequest.self, body) else { return [] }
        return runningHosts.filter { h in
            h.components[r.componentID] == nil && r.constraints.allSatisfy { h.labels[$0.key] == $0.value }
        }.map {
            .ok(ComponentAuctionAck(componentRef: r.componentRef, componentID: r.componentID, hostID: $0.id,
                                    constraints: r.constraints))
        }
    }

    func providerAuction(body: Data) -> [Reply] {
        guard let r = decode(ProviderAuctionRequest.self, body) else { return [] }
        return runningHosts.filter { h in
            h.providers[r.providerID] == nil && r.constraints.allSatisfy { h.labels[$0.key] == $0.value }
        }.map {
            .ok(ProviderAuctionAck(hostID: $0.id, providerRef: r.providerRef, providerID: r.providerID,
                                   constraints: r.constraints))
        }
    }

    // MARK: - Lattice-wide operations (one host answers)

    mutating func handleShared(_ operation: CtlOperation, target: String?, body: Data, answeringHost: String) -> Outcome {
        switch operation {
        case .linkGet:
            return Outcome(reply: .ok(links))
        case .linkPut:
            return putLink(body: body, host: answeringHost)
        case .linkDelete:
            return deleteLink(body: body, host: answeringHost)
        case .configGet:
            guard let name = target else { return Outcome(reply: .error(CtlSubjects.unsupportedSubjectMessage)) }
            if let values = configs[name] { return Outcome(reply: .ok(values)) }
            return Outcome(reply: .ok("Configuration not found"))
        case .configPut:
            guard let name = target else { return Outcome(reply: .error(CtlSubjects.unsupportedSubjectMessage)) }
            guard let values = decode([String: String].self, body) else {
                return Outcome(reply: .error("config data should be a map of string -> string"))
            }
            configs[name] = values
            return Outcome(reply: .ok("successfully put config"),
                           events: [Emitted(source: answeringHost, payload: .configSet(ConfigEvent(configName: name)))])
        case .configDelete:
            guard let name = target else { return Outcome(reply: .error(CtlSubjects.unsupportedSubjectMessage)) }
            configs[name] = nil
            return Outcome(reply: .ok("successfully deleted config"),
                           events: [Emitted(source: answeringHost, payload: .configDeleted(ConfigEvent(configName: name)))])
        case .claimsGet:
            return Outcome(reply: .ok([[String: String]]()))
        default:
            return Outcome(reply: .error(CtlSubjects.unsupportedSubjectMessage))
        }
    }

    private mutating func putLink(body: Data, host: String) -> Outcome {
        guard let link = decode(Link.self, body) else {
            return Outcome(reply: .error("failed to deserialize link definition"))
        }
        let missing = (link.sourceConfig + link.targetConfig).filter { configs[$0] == nil }
        if !missing.isEmpty {
            let error = "Failed to validate configuration and secrets. " + missing.map { name in
                (SecretReference.isReference(name) ? "Secret reference \(name)" : "Configuration \(name)") + " not found in config store. "
            }.joined()
            return Outcome(reply: .error(error),
                           events: [Emitted(source: host, payload: .linkdefSetFailed(LinkDefSetFailedEvent(link: link, error: error)))])
        }
        let sameSlot: (Link) -> Bool = {
            $0.sourceID == link.sourceID && $0.witNamespace == link.witNamespace && $0.witPackage == link.witPackage
                && $0.name == link.name
        }
        if links.contains(where: { sameSlot($0) && $0.target != link.target && !Set($0.interfaces).isDisjoint(with: link.interfaces) }) {
            let error = "link already exists with different target, consider deleting the existing link or using a different link name"
            return Outcome(reply: .error(error),
                           events: [Emitted(source: host, payload: .linkdefSetFailed(LinkDefSetFailedEvent(link: link, error: error)))])
        }
        links.removeAll { sameSlot($0) && $0.target == link.target }
        links.append(link)
        specs.insert(link.sourceID)
        return Outcome(reply: .ok("successfully set link"), events: [Emitted(source: host, payload: .linkdefSet(link))])
    }

    private mutating func deleteLink(body: Data, host: String) -> Outcome {
        guard let d = decode(DeleteInterfaceLinkDefinitionRequest.self, body) else {
            return Outcome(reply: .error("failed to deserialize link deletion request"))
        }
        guard specs.contains(d.sourceID) else {
            return Outcome(reply: .ok("successfully deleted link (spec doesn't exist)"))
        }
        let match: (Link) -> Bool = {
            $0.sourceID == d.sourceID && $0.witNamespace == d.witNamespace && $0.witPackage == d.witPackage && $0.name == d.name
        }
        let removed = links.first(where: match)
        links.removeAll(where: match)
        let event = removed.map { LinkDefDeletedEvent(removed: $0) }
            ?? LinkDefDeletedEvent(sourceID: d.sourceID, name: d.name, witNamespace: d.witNamespace, witPackage: d.witPackage)
        return Outcome(reply: .ok("successfully deleted link"),
                       events: [Emitted(source: host, payload: .linkdefDeleted(event))])
    }

    // MARK: - Provider health (1.x semantics)

    /// Runs the health probes that are due and returns the events they cause: `passed` on a
    /// change to healthy, `failed` on a change to unhealthy, `status` when unchanged, nothing for a
    /// provider that does not answer.
    mutating func probeHealth(now: Date, interval: Duration) -> [Emitted] {
        var out: [Emitted] = []
        for i in hosts.indices where hosts[i].life == .running {
            let hostID = hosts[i].id
            for id in hosts[i].providers.keys.sorted() {
                guard var p = hosts[i].providers[id], p.nextProbe <= now else { continue }
                p.nextProbe = now.addingTimeInterval(interval.seconds)
                let event = HealthCheckEvent(hostID: hostID, providerID: id)
                switch (p.behaviour, p.previousHealthy) {
                case (.silent, _):
                    break
                case (.healthy, false):
                    out.append(Emitted(source: hostID, payload: .healthCheckPassed(event)))
                    p.previousHealthy = true
                case (.unhealthy, true):
                    out.append(Emitted(source: hostID, payload: .healthCheckFailed(event)))
                    p.previousHealthy = false
                case (.healthy, true), (.unhealthy, false):
                    out.append(Emitted(source: hostID, payload: .healthCheckStatus(event)))
                }
                hosts[i].providers[id] = p
            }
        }
        return out
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (s, atto) = components
        return TimeInterval(s) + TimeInterval(atto) / 1e18
    }
}
