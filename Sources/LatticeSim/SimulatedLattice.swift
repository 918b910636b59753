import Foundation
import HeapModule

/// The simulated lattice as a value: its hosts, links and named config, and the control
/// operations a wasmCloud 1.x host performs on them, with the host's reply texts. Each operation
/// returns the reply and the events a real host would publish, so the engine is testable without
/// NATS; `LatticeSimulator` puts it on the wire. Request bodies are read and replies and events
/// written from the protocol reference's shapes (`SimJSON`, `SimulatedEvent`), not with the
/// client's wire types.
struct SimulatedLattice: Sendable {
    var lattice: String
    var version: String
    var natsURL: String = "nats://127.0.0.1:4222"
    /// The hosts in creation order. Add them only with `addHost` (which keeps `hostIndex`); none is
    /// ever removed (a stopped or vanished host stays, with its `life`).
    var hosts: [SimulatedHost] = []
    /// Where each host ID sits in `hosts`: lookups stay O(1) at 10,000 hosts.
    private var hostIndex: [String: Int] = [:]
    /// Every provider's next health check, earliest first (`probeHealth`); an entry whose
    /// provider is gone or was rescheduled since is dropped when it comes up.
    private var probeQueue = Heap<ProbeDue>()
    /// Every change (a put, a delete, the workload) drops the encoded `link.get` reply.
    var links: [SimulatedLink] = [] {
        didSet { encodedLinkListing = nil }
    }
    /// The `link.get` reply's bytes, encoded once per change of `links`: at 10,000 hosts the list
    /// holds 100,000s of links and took over a second to encode, longer than a client waits.
    private var encodedLinkListing: Data?
    /// How often the `link.get` reply was encoded (not served from the cache), for tests.
    private(set) var linkListingEncodings = 0
    var configs: [String: [String: String]] = [:]
    /// IDs with a component specification in `LATTICEDATA` (written by a link put from that
    /// source, a component start or a provider start; never removed by a link delete).
    var specs: Set<String> = []
    /// Experimental builtin providers (`wasmcloud+builtin://…`) enabled on the hosts.
    var builtinProviders = false
    /// How providers with these IDs answer health probes when they start (the rest: healthy).
    var healthAnswers: [String: SimulatedHealthAnswer] = [:]

    init(lattice: String, version: String) {
        self.lattice = lattice
        self.version = version
    }

    /// An event to publish: from which host, the event, and how long after the reply.
    struct Emitted: Sendable {
        let source: String
        let event: SimulatedEvent
        var delay: Duration = .zero
    }

    /// A control reply, already encoded as the `CtlResponse` JSON (§1.3): `success`, `message`,
    /// and `response` only when there is a payload.
    struct Reply: Sendable {
        let success: Bool
        let message: String
        let body: Data

        static func ok(_ message: String = "") -> Reply {
            Reply(success: true, message: message, body: SimJSON.encode(["success": true, "message": message]))
        }

        static func ok(response: Any, message: String = "") -> Reply {
            Reply(success: true, message: message,
                  body: SimJSON.encode(["success": true, "message": message, "response": response] as [String: Any]))
        }

        /// `ok(response:)` with the response encoded already.
        static func ok(encodedResponse response: Data) -> Reply {
            var body = Data(#"{"message":"","response":"#.utf8)
            body.append(response)
            body.append(contentsOf: #","success":true}"#.utf8)
            return Reply(success: true, message: "", body: body)
        }

        static func error(_ message: String) -> Reply {
            Reply(success: false, message: message, body: SimJSON.encode(["success": false, "message": message]))
        }
    }

    struct Outcome: Sendable {
        var reply: Reply?
        var events: [Emitted] = []
        /// Host-level effects the wire layer must carry out (unsubscribing a stopped host).
        var stoppedHost: String?
    }

    static let unsupportedSubject = "unsupported subject"

    // MARK: - Lookups

    /// Whether the simulated host version is at least `major.minor`.
    func versionAtLeast(_ major: Int, _ minor: Int) -> Bool {
        let parts = version.split(separator: ".").map { Int($0) ?? 0 }
        let (a, b) = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        return a > major || (a == major && b >= minor)
    }

    mutating func addHost(_ host: SimulatedHost) {
        hostIndex[host.id] = hosts.count
        hosts.append(host)
        for p in host.providers.values { scheduleProbe(p, host: hosts.count - 1) }
    }

    private mutating func scheduleProbe(_ provider: SimulatedProvider, host: Int) {
        if provider.nextProbe != .distantFuture { probeQueue.insert(ProbeDue(due: provider.nextProbe, host: host, provider: provider.id)) }
    }

    func index(ofRunning id: String) -> Int? {
        guard let i = hostIndex[id], hosts[i].life == .running else { return nil }
        return i
    }

    var runningHosts: [SimulatedHost] { hosts.filter { $0.life == .running } }

    /// The first running host's ID (the one that answers lattice-wide requests).
    var firstRunningHostID: String? { hosts.first { $0.life == .running }?.id }

    /// Whether a component or provider with this ID runs on any live host.
    func isRunning(_ id: String) -> Bool {
        hosts.contains { $0.life == .running && ($0.components[id] != nil || $0.providers[id] != nil) }
    }

    /// The first link from index `start` on (wrapping around) whose source and target both run;
    /// nil when none does. Links are checked one at a time, so while they run a call costs a few
    /// lookups, not a pass over every link and host (20,000 links at 10,000 hosts took the
    /// simulator's whole core at 20 calls a second).
    func liveLinkIndex(from start: Int) -> Int? {
        guard !links.isEmpty else { return nil }
        for step in 0..<links.count {
            let i = (start + step) % links.count
            if isRunning(links[i].sourceID) && isRunning(links[i].target) { return i }
        }
        return nil
    }

    /// Whether a provider with this ID runs somewhere and answers (for wRPC serving).
    func answers(_ id: String) -> Bool {
        hosts.contains { h in
            guard h.life == .running else { return false }
            if h.components[id] != nil { return true }
            if let p = h.providers[id] { return p.behaviour != .silent }
            return false
        }
    }

    // MARK: - Shapes on the wire

    /// A `host.ping` reply's `Host` (§1.7.1); `js_domain` is left out (unset).
    func hostInfo(_ h: SimulatedHost, now: Date) -> [String: Any] {
        var info = hostInfoWithoutUptime(h)
        info["uptime_seconds"] = Int(h.uptimeSeconds(at: now))
        info["uptime_human"] = h.uptimeHuman(at: now)
        return info
    }

    func hostInfoWithoutUptime(_ h: SimulatedHost) -> [String: Any] {
        ["id": h.id, "friendly_name": h.friendlyName, "labels": h.labels, "lattice": lattice, "version": version,
         "ctl_host": natsURL, "rpc_host": natsURL]
    }

    /// A `HostInventory` (§1.7.2), as `host.get` and heartbeats carry it.
    func inventory(_ h: SimulatedHost, now: Date) -> [String: Any] {
        var inventory = inventoryWithoutUptime(h)
        inventory["uptime_human"] = h.uptimeHuman(at: now)
        inventory["uptime_seconds"] = Int(h.uptimeSeconds(at: now))
        return inventory
    }

    func inventoryWithoutUptime(_ h: SimulatedHost) -> [String: Any] {
        let components: [[String: Any]] = h.components.values.sorted { $0.id < $1.id }.map { c in
            var d: [String: Any] = ["id": c.id, "image_ref": c.imageRef, "annotations": c.annotations, "revision": Int(c.revision),
                                    "max_instances": Int(c.maxInstances), "limits": NSNull()]
            if let name = c.name { d["name"] = name }
            return d
        }
        let providers: [[String: Any]] = h.providers.values.sorted { $0.id < $1.id }.map { p in
            var d: [String: Any] = ["id": p.id, "image_ref": p.imageRef, "revision": Int(p.revision), "annotations": p.annotations]
            if let name = p.name { d["name"] = name }
            return d
        }
        return ["components": components, "providers": providers, "host_id": h.id, "friendly_name": h.friendlyName,
                "labels": h.labels, "version": version]
    }

    // MARK: - Image references

    /// Whether pulling `ref` fails in the simulation: references that name something missing or
    /// broken, and empty ones.
    static func pullFails(_ ref: String) -> Bool {
        let r = ref.lowercased()
        return r.isEmpty || r.contains("missing") || r.contains("broken") || r.contains("doesnotexist")
    }

    /// Names starting with this are secret references (`SECRET_PREFIX` in the host's sources).
    static let secretPrefix = "SECRET"

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

    mutating func handle(_ operation: SimulatedOperation, hostID: String, body: Data, now: Date) -> Outcome {
        guard let i = index(ofRunning: hostID) else { return Outcome(reply: nil) }
        switch operation {
        case .hostGet:
            return Outcome(reply: .ok(response: inventory(hosts[i], now: now)))
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
            return Outcome(reply: .error(Self.unsupportedSubject))
        }
    }

    private mutating func stopHost(_ i: Int, body: Data, now: Date) -> Outcome {
        var requested = "", timeout: UInt64?
        if !SimJSON.isBlank(body) {
            // `StopHostCommand`: `host_id` (default ""), `timeout` (optional milliseconds).
            guard let r = SimRequest(body), let host = r.string("host_id") else {
                return Outcome(reply: .error("failed to deserialize stop host command"))
            }
            requested = host
            if r.object["timeout"] != nil, !(r.object["timeout"] is NSNull) {
                guard let t = r.unsigned("timeout") else { return Outcome(reply: .error("failed to deserialize stop host command")) }
                timeout = t
            }
        }
        let h = hosts[i]
        if !requested.isEmpty, requested != h.id {
            return Outcome(reply: .error("invalid host_id [\(requested)]"))
        }
        hosts[i].life = .stopped
        let delay = Duration.milliseconds(Int64(min(timeout ?? 200, 2000)))
        // A 1.x host publishes only `host_stopped`: no `provider_stopped` for what it ran.
        let events = [Emitted(source: h.id, event: .hostStopped(labels: h.labels), delay: delay)]
        return Outcome(reply: .ok("successfully handled stop host"), events: events, stoppedHost: h.id)
    }

    /// `ScaleComponentCommand` (§1.6.1): `component_id` required; `component_ref` "", `count` 0,
    /// `config` [], `allow_update` false by default; `annotations` optional.
    private mutating func scale(_ i: Int, body: Data) -> Outcome {
        guard let r = SimRequest(body), let id = r.required("component_id"), let ref = r.string("component_ref"),
              let count64 = r.unsigned("count"), count64 <= UInt64(UInt32.max), let config = r.strings("config"),
              let allowUpdate = r.bool("allow_update"), let optionalAnnotations = r.optionalMap("annotations")
        else { return Outcome(reply: .error("failed to deserialize component scale command")) }
        // A host does not check the ID (the Rust client does, before sending).
        let count = UInt32(count64)
        let hostID = hosts[i].id
        let annotations = optionalAnnotations ?? [:]
        if let existing = hosts[i].components[id] {
            var message = ""
            if existing.imageRef != ref, !allowUpdate {
                message = "Requested to scale existing component to a different image reference: \(existing.imageRef) != \(ref). The component will be scaled but the image reference will not be updated. If you meant to update this component to a new image ref, use the update command."
            } else if existing.imageRef != ref {
                message = "Requested to scale existing component, with a changed image reference: \(existing.imageRef) != \(ref). The component will be scaled, and the image reference will be updated afterwards."
            }
            if count == 0 {
                hosts[i].components[id] = nil
            } else {
                hosts[i].components[id]?.maxInstances = count
                if allowUpdate, !ref.isEmpty { hosts[i].components[id]?.imageRef = ref }
            }
            let current = hosts[i].components[id] ?? existing
            let event = SimulatedEvent.componentScaled(host: hostID, id: id, imageRef: current.imageRef, maxInstances: count,
                                                       annotations: current.annotations)
            return Outcome(reply: .ok(message), events: [Emitted(source: hostID, event: event, delay: .milliseconds(50))])
        }
        if count == 0 {
            let event = SimulatedEvent.componentScaled(host: hostID, id: id, imageRef: ref, maxInstances: 0, annotations: annotations)
            return Outcome(reply: .ok(), events: [Emitted(source: hostID, event: event, delay: .milliseconds(50))])
        }
        if Self.pullFails(ref) {
            let event = SimulatedEvent.componentScaleFailed(
                host: hostID, id: id, imageRef: ref, maxInstances: count, annotations: annotations,
                error: "failed to fetch component: failed to pull OCI artifact: manifest unknown")
            return Outcome(reply: .ok(), events: [Emitted(source: hostID, event: event, delay: .milliseconds(200))])
        }
        hosts[i].components[id] = SimulatedComponent(id: id, imageRef: ref, maxInstances: count, annotations: annotations,
                                                     name: Self.displayName(for: ref), config: config)
        specs.insert(id)
        let event = SimulatedEvent.componentScaled(host: hostID, id: id, imageRef: ref, maxInstances: count, annotations: annotations)
        return Outcome(reply: .ok(), events: startedEvents(event, host: hostID, delay: .milliseconds(200)))
    }

    /// A fresh start's `component_scaled`: a 1.6+ host publishes it twice, once when the
    /// component starts and once when the scale task ends.
    func startedEvents(_ event: SimulatedEvent, host: String, delay: Duration) -> [Emitted] {
        let first = Emitted(source: host, event: event, delay: delay)
        guard versionAtLeast(1, 6) else { return [first] }
        return [first, Emitted(source: host, event: event, delay: delay + .milliseconds(20))]
    }

    /// `UpdateComponentCommand` (§1.6.2): every key defaults to empty, `annotations` optional.
    private mutating func update(_ i: Int, body: Data) -> Outcome {
        guard let r = SimRequest(body), let id = r.string("component_id"), let newRef = r.string("new_component_ref"),
              let optionalAnnotations = r.optionalMap("annotations")
        else { return Outcome(reply: .error("failed to deserialize component update command")) }
        let hostID = hosts[i].id
        guard let existing = hosts[i].components[id] else {
            return Outcome(reply: .error("component \(id) not found"))
        }
        if existing.imageRef == newRef {
            return Outcome(reply: .ok("component \(id) already updated to \(newRef)"))
        }
        let message = "component \(id) updating from \(existing.imageRef) to \(newRef)"
        if Self.pullFails(newRef) {
            let event = SimulatedEvent.componentScaleFailed(
                host: hostID, id: id, imageRef: newRef, maxInstances: existing.maxInstances, annotations: existing.annotations,
                error: "failed to fetch component: failed to pull OCI artifact: manifest unknown")
            return Outcome(reply: .ok(message), events: [Emitted(source: hostID, event: event, delay: .milliseconds(200))])
        }
        hosts[i].components[id]?.imageRef = newRef
        if let a = optionalAnnotations { hosts[i].components[id]?.annotations = a }
        let annotations = hosts[i].components[id]?.annotations ?? existing.annotations
        // The new reference at the current maximum, then a scale-0 that 1.1+ hosts also write
        // with the new reference (§2.3.4); the component keeps running.
        let up = SimulatedEvent.componentScaled(host: hostID, id: id, imageRef: newRef, maxInstances: existing.maxInstances,
                                                annotations: annotations)
        let down = SimulatedEvent.componentScaled(host: hostID, id: id, imageRef: newRef, maxInstances: 0, annotations: annotations)
        return Outcome(reply: .ok(message), events: [Emitted(source: hostID, event: up, delay: .milliseconds(200)),
                                                     Emitted(source: hostID, event: down, delay: .milliseconds(250))])
    }

    /// `StartProviderCommand` (§1.6.3): `provider_id` required; `provider_ref`, `host_id` "",
    /// `config` [] by default; `annotations` optional.
    mutating func startProvider(_ i: Int, body: Data, now: Date, firstProbe: Duration = .seconds(5)) -> Outcome {
        guard let r = SimRequest(body), let id = r.required("provider_id"), let ref = r.string("provider_ref"),
              let config = r.strings("config"), let optionalAnnotations = r.optionalMap("annotations")
        else { return Outcome(reply: .error("failed to deserialize provider start command")) }
        let hostID = hosts[i].id
        if hosts[i].providers[id] != nil {
            return Outcome(reply: .error("provider with that ID is already running"))
        }
        let builtin = Self.builtinName(ref)
        if let builtin, !builtinProviders, builtin == "http-server" || builtin == "messaging-nats" {
            // The host skips the request without a word: the client times out.
            return Outcome(reply: nil)
        }
        let failure: String?
        if let builtin, !builtinProviders || !["http-server", "http-client", "messaging-nats"].contains(builtin) {
            failure = "failed to start builtin provider \(builtin): the feature is not enabled on this host"
        } else if builtin == nil, Self.pullFails(ref) {
            failure = "failed to fetch provider: failed to pull OCI artifact: manifest unknown"
        } else if let secret = config.first(where: { $0.hasPrefix(Self.secretPrefix) && configs[$0] == nil }) {
            failure = "Secret reference \(secret) not found in config store"
        } else {
            failure = nil
        }
        if let failure {
            return Outcome(reply: .ok("successfully started provider"),
                           events: [Emitted(source: hostID, event: .providerStartFailed(host: hostID, id: id, ref: ref, error: failure),
                                            delay: .milliseconds(300))])
        }
        let annotations = optionalAnnotations ?? [:]
        var provider = SimulatedProvider(id: id, imageRef: ref, name: Self.displayName(for: ref), annotations: annotations,
                                         config: config, startedAt: now, nextProbe: now.addingTimeInterval(firstProbe.seconds))
        if ref.lowercased().contains("unhealthy") {
            provider.behaviour = .unhealthy
            provider.healthMessage = "blobstore root /data is not writable"
        }
        if let answer = healthAnswers[id] {
            provider.behaviour = answer.behaviour
            provider.healthMessage = answer.message
        }
        // Builtin providers run inside the host: no health task, never probed.
        if builtin != nil { provider.nextProbe = .distantFuture }
        hosts[i].providers[id] = provider
        scheduleProbe(provider, host: i)
        specs.insert(id)
        return Outcome(reply: .ok("successfully started provider"),
                       events: [Emitted(source: hostID, event: .providerStarted(host: hostID, id: id, imageRef: ref, annotations: annotations),
                                        delay: .milliseconds(300))])
    }

    /// `StopProviderCommand` (§1.6.4): `provider_id` (alias `provider_ref`) and `host_id`, both default "".
    private mutating func stopProvider(_ i: Int, body: Data) -> Outcome {
        guard let r = SimRequest(body), let id = r.object["provider_id"] != nil ? r.string("provider_id") : r.string("provider_ref")
        else { return Outcome(reply: .error("failed to deserialize provider stop command")) }
        let hostID = hosts[i].id
        guard let p = hosts[i].providers.removeValue(forKey: id) else {
            return Outcome(reply: .error("provider with that ID is not running"))
        }
        // 1.x stops synchronously: the event goes out before the reply.
        return Outcome(reply: .ok("successfully stopped provider"),
                       events: [Emitted(source: hostID, event: .providerStopped(host: hostID, id: p.id, annotations: p.annotations))])
    }

    /// `HostLabel` (§1.6.8): `key` and `value` required.
    private mutating func putLabel(_ i: Int, body: Data) -> Outcome {
        guard let r = SimRequest(body), let key = r.required("key"), let value = r.required("value") else {
            return Outcome(reply: .error("failed to deserialize put label request"))
        }
        if key.lowercased().hasPrefix("hostcore.") {
            return Outcome(reply: .error("hostcore.* labels cannot be set dynamically"))
        }
        hosts[i].labels[key] = value
        let h = hosts[i]
        return Outcome(reply: .ok("successfully put label"), events: [Emitted(source: h.id, event: .labelsChanged(host: h.id, labels: h.labels))])
    }

    private mutating func deleteLabel(_ i: Int, body: Data) -> Outcome {
        guard let r = SimRequest(body), let key = r.required("key") else {
            return Outcome(reply: .error("failed to deserialize delete label request"))
        }
        guard hosts[i].labels.removeValue(forKey: key) != nil else {
            return Outcome(reply: .ok("successfully deleted label (no such label)"))
        }
        let h = hosts[i]
        return Outcome(reply: .ok("successfully deleted label"), events: [Emitted(source: h.id, event: .labelsChanged(host: h.id, labels: h.labels))])
    }

    // MARK: - Auctions (every qualifying host answers)

    /// `ComponentAuctionRequest` (§1.6.9): `component_id` and `constraints` required.
    func componentAuction(body: Data) -> [Reply] {
        guard let r = SimRequest(body), let id = r.required("component_id"), let ref = r.string("component_ref"),
              let constraints = r.requiredMap("constraints") else { return [] }
        return runningHosts.filter { h in
            h.components[id] == nil && constraints.allSatisfy { h.labels[$0.key] == $0.value }
        }.map {
            .ok(response: ["component_ref": ref, "component_id": id, "host_id": $0.id, "constraints": constraints] as [String: Any])
        }
    }

    func providerAuction(body: Data) -> [Reply] {
        guard let r = SimRequest(body), let id = r.required("provider_id"), let ref = r.string("provider_ref"),
              let constraints = r.requiredMap("constraints") else { return [] }
        return runningHosts.filter { h in
            h.providers[id] == nil && constraints.allSatisfy { h.labels[$0.key] == $0.value }
        }.map {
            .ok(response: ["host_id": $0.id, "provider_ref": ref, "provider_id": id, "constraints": constraints] as [String: Any])
        }
    }

    // MARK: - Lattice-wide operations (one host answers)

    mutating func handleShared(_ operation: SimulatedOperation, target: String?, body: Data, answeringHost: String) -> Outcome {
        switch operation {
        case .linkGet:
            return Outcome(reply: linkListing())
        case .linkPut:
            return putLink(body: body, host: answeringHost)
        case .linkDelete:
            return deleteLink(body: body, host: answeringHost)
        case .configGet:
            guard let name = target else { return Outcome(reply: .error(Self.unsupportedSubject)) }
            if let values = configs[name] { return Outcome(reply: .ok(response: values)) }
            return Outcome(reply: .ok("Configuration not found"))
        case .configPut:
            guard let name = target else { return Outcome(reply: .error(Self.unsupportedSubject)) }
            guard let values = SimJSON.object(body).flatMap(SimJSON.stringMap) else {
                return Outcome(reply: .error("config data should be a map of string -> string"))
            }
            configs[name] = values
            return Outcome(reply: .ok("successfully put config"), events: [Emitted(source: answeringHost, event: .configSet(name))])
        case .configDelete:
            guard let name = target else { return Outcome(reply: .error(Self.unsupportedSubject)) }
            configs[name] = nil
            return Outcome(reply: .ok("successfully deleted config"), events: [Emitted(source: answeringHost, event: .configDeleted(name))])
        case .claimsGet:
            return Outcome(reply: .ok(response: [Any]()))
        default:
            return Outcome(reply: .error(Self.unsupportedSubject))
        }
    }

    /// The `link.get` reply: every link, encoded when `links` changed since the last one.
    mutating func linkListing() -> Reply {
        if let body = encodedLinkListing { return Reply(success: true, message: "", body: body) }
        let reply = Reply.ok(response: links.map(\.json))
        encodedLinkListing = reply.body
        linkListingEncodings += 1
        return reply
    }

    private mutating func putLink(body: Data, host: String) -> Outcome {
        guard let link = SimRequest(body).flatMap(SimulatedLink.init(request:)) else {
            return Outcome(reply: .error("failed to deserialize link definition"))
        }
        // Every named config and secret reference must be in the config store (`validate_config`).
        let missing = (link.sourceConfig + link.targetConfig).filter { configs[$0] == nil }
        if !missing.isEmpty {
            let error = "Failed to validate configuration and secrets. " + missing.map { name in
                (name.hasPrefix(Self.secretPrefix) ? "Secret reference \(name)" : "Configuration \(name)") + " not found in config store. "
            }.joined()
            return Outcome(reply: .error(error), events: [Emitted(source: host, event: .linkSetFailed(link, error: error))])
        }
        let sameSlot: (SimulatedLink) -> Bool = {
            $0.sourceID == link.sourceID && $0.witNamespace == link.witNamespace && $0.witPackage == link.witPackage
                && $0.name == link.name
        }
        if links.contains(where: { sameSlot($0) && $0.target != link.target && !Set($0.interfaces).isDisjoint(with: link.interfaces) }) {
            let error = "link already exists with different target, consider deleting the existing link or using a different link name"
            return Outcome(reply: .error(error), events: [Emitted(source: host, event: .linkSetFailed(link, error: error))])
        }
        links.removeAll { sameSlot($0) && $0.target == link.target }
        links.append(link)
        specs.insert(link.sourceID)
        return Outcome(reply: .ok("successfully set link"), events: [Emitted(source: host, event: .linkSet(link))])
    }

    /// `DeleteInterfaceLinkDefinitionRequest` (§1.6.7): `source_id`, `wit_namespace`,
    /// `wit_package` required, `name` defaults to `default`.
    private mutating func deleteLink(body: Data, host: String) -> Outcome {
        guard let r = SimRequest(body), let source = r.required("source_id"), let namespace = r.required("wit_namespace"),
              let package = r.required("wit_package"), let name = r.string("name", default: "default")
        else { return Outcome(reply: .error("failed to deserialize link deletion request")) }
        guard specs.contains(source) else {
            return Outcome(reply: .ok("successfully deleted link (spec doesn't exist)"))
        }
        let match: (SimulatedLink) -> Bool = {
            $0.sourceID == source && $0.witNamespace == namespace && $0.witPackage == package && $0.name == name
        }
        let removed = links.first(where: match)
        links.removeAll(where: match)
        // Idempotent: the event goes out even when nothing matched.
        let event = SimulatedEvent.linkDeleted(source: source, name: name, namespace: namespace, package: package, removed: removed)
        return Outcome(reply: .ok("successfully deleted link"), events: [Emitted(source: host, event: event)])
    }

    // MARK: - Provider health (1.x semantics)

    /// Runs the health probes that are due and returns the events they cause: `passed` on a
    /// change to healthy, `failed` on a change to unhealthy, `status` when unchanged, nothing for a
    /// provider that does not answer.
    /// The health checks due by `now`, each provider's every `interval` from its first, as a
    /// host runs one timer a provider: taken from a queue by due time, so a check costs the same
    /// at 3 providers and at 20,000 (a walk over every host each 100 ms tick, with every
    /// provider's checks falling due in one tick, kept a simulator of 10,000 hosts from answering
    /// pings for ~4 s every interval). Due at the same time: in host order, then by provider ID.
    mutating func probeHealth(now: Date, interval: Duration) -> [Emitted] {
        var out: [Emitted] = []
        while let first = probeQueue.min, first.due <= now {
            probeQueue.removeMin()
            let i = first.host, id = first.provider
            guard var p = hosts[i].providers[id], p.nextProbe == first.due else { continue }
            p.nextProbe = now.addingTimeInterval(interval.seconds)
            defer { hosts[i].providers[id] = p; scheduleProbe(p, host: i) }
            // A host that is not running checks nothing (its provider's turn comes again).
            guard hosts[i].life == .running else { continue }
            let hostID = hosts[i].id
            let kind: String?
            switch (p.behaviour, p.previousHealthy) {
            case (.silent, _), (.noEndpoint, _):
                kind = nil
            case (.healthy, false):
                kind = "passed"
                p.previousHealthy = true
            case (.unhealthy, true):
                kind = "failed"
                p.previousHealthy = false
            case (.healthy, true), (.unhealthy, false):
                kind = "status"
            }
            if let kind { out.append(Emitted(source: hostID, event: .health(kind, host: hostID, provider: id))) }
        }
        return out
    }
}

/// A provider's next health check in `SimulatedLattice.probeHealth`'s queue.
struct ProbeDue: Comparable, Sendable {
    var due: Date
    var host: Int
    var provider: String

    static func < (a: ProbeDue, b: ProbeDue) -> Bool {
        (a.due, a.host, a.provider) < (b.due, b.host, b.provider)
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (s, atto) = components
        return TimeInterval(s) + TimeInterval(atto) / 1e18
    }
}
