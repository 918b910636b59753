import Foundation
import LatticeProtocol
import LatticeState

/// A seeded generator (SplitMix64): the same seed gives the same history on every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random lattice histories over a few hosts, components, providers, links and configs: every
/// kind of input that changes what the panes show (inventories, heartbeats, scale and provider
/// events, health, host start and stop, link puts, refusals and deletes, config changes and
/// listings, pings and syncs, probes), with the clock moving by small steps and now and then
/// by minutes (staleness, retention). For tests that compare an incrementally kept result with
/// a build from scratch after each step.
public struct RandomLattice {
    public static let base = Date(timeIntervalSince1970: 1_748_779_200)  // 2025-06-01T12:00:00Z

    public var generator: SeededGenerator
    /// Seconds after `base`.
    public private(set) var time: TimeInterval = 0
    private var syncID = 0
    public let hosts = ["NHOSTA", "NHOSTB", "NHOSTC", "NHOSTD"]
    public let components = ["api", "worker", "web", "cron", "auth"]
    public let providers = ["http-server", "keyvalue", "messaging"]
    public let configs = ["cfg-a", "cfg-b", "SECRET_tls"]

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    private mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &generator)! }
    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }
    private mutating func subset<T>(_ values: [T]) -> [T] { values.filter { _ in chance(0.5) } }

    private var at: Date { Self.base + time }

    private mutating func event(_ payload: LatticeEventPayload, host: String, age: TimeInterval = 0) -> LatticeInput {
        let id = String(format: "%016llx%016llx", generator.next(), generator.next())
        return .event(LatticeEvent.make(payload, source: host, time: at - age, id: id), at: at)
    }

    private mutating func component() -> ComponentDescription {
        let id = pick(components)
        return ComponentDescription(id: id, imageRef: "ghcr.io/test/\(id):\(Int.random(in: 1...2, using: &generator)).0",
                                    name: chance(0.5) ? "Component \(id)" : nil,
                                    annotations: chance(0.3) ? ["wasmcloud.dev/appspec": "app-\(id)"] : [:],
                                    maxInstances: UInt32.random(in: 1...4, using: &generator))
    }

    private mutating func provider() -> ProviderDescription {
        let id = pick(providers)
        return ProviderDescription(id: id, imageRef: chance(0.2) ? "wasmcloud+builtin://\(id)" : "ghcr.io/test/\(id):1.0", name: id,
                                   annotations: [:])
    }

    private mutating func inventory(_ host: String) -> HostInventory {
        var seenC = Set<String>(), seenP = Set<String>()
        let cs = (0..<Int.random(in: 0...4, using: &generator)).map { _ in component() }.filter { seenC.insert($0.id).inserted }
        let ps = (0..<Int.random(in: 0...2, using: &generator)).map { _ in provider() }.filter { seenP.insert($0.id).inserted }
        return HostInventory(components: cs, providers: ps, hostID: host, friendlyName: chance(0.9) ? "name-\(host.lowercased())" : "renamed",
                             labels: chance(0.5) ? ["zone": pick(["a", "b"])] : [:], version: "1.9.2", uptimeHuman: "",
                             uptimeSeconds: UInt64(Int.random(in: 0...90_000, using: &generator)))
    }

    private mutating func link() -> Link {
        let ends = components + providers + ["ghost"]
        return Link(sourceID: pick(ends), target: pick(ends), name: pick(["default", "other"]), witNamespace: "wasi",
                    witPackage: pick(["http", "keyvalue"]), interfaces: [pick(["incoming-handler", "store", "atomics"])],
                    sourceConfig: subset(configs), targetConfig: subset(configs))
    }

    /// The next input; the clock moves on first.
    public mutating func next() -> LatticeInput {
        time += chance(0.05) ? Double.random(in: 60...700, using: &generator) : Double.random(in: 0...2, using: &generator)
        let host = pick(hosts)
        switch Int.random(in: 0..<22, using: &generator) {
        case 0, 1: return event(.hostHeartbeat(inventory(host)), host: host)
        case 2: syncID += 1; return .inventory(inventory(host), syncID: syncID, at: at)
        case 3:
            let c = component()
            return event(.componentScaled(ComponentScaledEvent(annotations: c.annotations ?? [:], hostID: host, imageRef: c.imageRef,
                                                               maxInstances: chance(0.3) ? 0 : c.maxInstances, componentID: c.id)), host: host)
        case 4:
            let c = component()
            return event(.componentScaleFailed(ComponentScaleFailedEvent(componentID: c.id, hostID: host, imageRef: c.imageRef,
                                                                         maxInstances: 2, error: "no room")), host: host)
        case 5:
            let p = provider()
            return event(.providerStarted(ProviderStartedEvent(hostID: host, imageRef: p.imageRef ?? "", providerID: p.id, annotations: [:])), host: host)
        case 6: return event(.providerStopped(ProviderStoppedEvent(hostID: host, providerID: pick(providers))), host: host)
        case 7:
            return event(.providerStartFailed(ProviderStartFailedEvent(providerRef: "ghcr.io/x", providerID: pick(providers), hostID: host,
                                                                       error: "boom")), host: host)
        case 8:
            let e = HealthCheckEvent(hostID: host, providerID: pick(providers))
            return event(pick([.healthCheckPassed(e), .healthCheckFailed(e), .healthCheckStatus(e)]), host: host)
        case 9: return event(.hostStarted(HostStartedEvent(friendlyName: "name-\(host.lowercased())", labels: [:], version: "1.9.2")), host: host)
        case 10: return chance(0.4) ? event(.hostStopped(HostStoppedEvent(labels: [:])), host: host) : .tick(at)
        case 11, 12: return event(.linkdefSet(link()), host: host, age: chance(0.2) ? 5 : 0)
        case 13: return event(.linkdefSetFailed(LinkDefSetFailedEvent(link: link(), error: "refused")), host: host)
        case 14:
            let l = link()
            let deleted = chance(0.5) ? LinkDefDeletedEvent(removed: l)
                : LinkDefDeletedEvent(sourceID: l.sourceID, name: l.name, witNamespace: l.witNamespace, witPackage: l.witPackage)
            return event(.linkdefDeleted(deleted), host: host)
        case 15:
            syncID += 1
            return .links((0..<Int.random(in: 0...6, using: &generator)).map { _ in link() }, syncID: syncID, at: at)
        case 16: return event(chance(0.6) ? .configSet(ConfigEvent(configName: pick(configs))) : .configDeleted(ConfigEvent(configName: pick(configs))),
                              host: host)
        case 17:
            syncID += 1
            return .configs(chance(0.2) ? nil : Dictionary(uniqueKeysWithValues: subset(configs).map { ($0, ["k": "v"]) }), syncID: syncID, at: at)
        case 18:
            return .hostPinged(HostInfo(id: host, friendlyName: "name-\(host.lowercased())", labels: [:], lattice: "default", uptimeSeconds: 100,
                                        version: "1.9.2", ctlHost: "nats://ctl:4222", rpcHost: "nats://rpc:4222"), syncID: syncID, at: at)
        case 19:
            syncID += 1
            return chance(0.5) ? .syncStarted(id: syncID, at: at)
                : .syncFinished(id: syncID, hostsAnswered: Set(subset(hosts)), complete: chance(0.8), at: at)
        case 20:
            return .healthProbe(providerID: pick(providers), outcome: pick([.healthy(message: nil), .unhealthy(message: "down"), .notAnswering,
                                                                             .noHealthEndpoint]), at: at)
        default: return .tick(at)
        }
    }
}
