import Foundation
import LatticeProtocol
import LatticeState

/// Times in tests: seconds after 2025-06-01T12:00:00Z.
enum TestTime {
    static let base = Date(timeIntervalSince1970: 1_748_779_200)

    static func at(_ seconds: TimeInterval) -> Date { base + seconds }
}

/// Short names for building inputs in tests.
enum In {
    static let h1 = "NHOSTONE"
    static let h2 = "NHOSTTWO"
    static let h3 = "NHOSTTHREE"

    /// An event published at `time` (seconds), arriving `delay` later (or at `arrival`).
    static func event(_ payload: LatticeEventPayload, from source: String, at time: TimeInterval,
                      arrival: TimeInterval? = nil, id: String? = nil) -> LatticeInput {
        let date = TestTime.at(time)
        let event = LatticeEvent.make(payload, source: source, time: date, id: id ?? UUID().uuidString.lowercased())
        return .event(event, at: TestTime.at(arrival ?? time + 0.1))
    }

    static func heartbeat(_ host: String, at time: TimeInterval, components: [ComponentDescription] = [],
                          providers: [ProviderDescription] = [], labels: [String: String] = [:], uptime: UInt64? = nil,
                          arrival: TimeInterval? = nil, id: String? = nil) -> LatticeInput {
        event(.hostHeartbeat(inventory(host, components: components, providers: providers, labels: labels, uptime: uptime ?? UInt64(max(0, time)))),
              from: host, at: time, arrival: arrival, id: id)
    }

    static func inventory(_ host: String, components: [ComponentDescription] = [], providers: [ProviderDescription] = [],
                          labels: [String: String] = [:], uptime: UInt64 = 0) -> HostInventory {
        HostInventory(components: components, providers: providers, hostID: host, friendlyName: "name-\(host)",
                      labels: labels, version: "1.9.2", uptimeHuman: "\(uptime)s", uptimeSeconds: uptime)
    }

    static func component(_ id: String, count: UInt32 = 1, image: String? = nil, annotations: [String: String] = [:]) -> ComponentDescription {
        ComponentDescription(id: id, imageRef: image ?? "ghcr.io/test/\(id):1.0", annotations: annotations, maxInstances: count)
    }

    static func provider(_ id: String, image: String? = nil, annotations: [String: String] = [:]) -> ProviderDescription {
        ProviderDescription(id: id, imageRef: image ?? "ghcr.io/test/\(id):1.0", name: id, annotations: annotations)
    }

    static func scaled(_ host: String, _ component: String, count: UInt32, at time: TimeInterval,
                       image: String? = nil, annotations: [String: String] = [:], arrival: TimeInterval? = nil) -> LatticeInput {
        event(.componentScaled(ComponentScaledEvent(annotations: annotations, hostID: host, imageRef: image ?? "ghcr.io/test/\(component):1.0",
                                                    maxInstances: count, componentID: component)),
              from: host, at: time, arrival: arrival)
    }

    static func providerStarted(_ host: String, _ provider: String, at time: TimeInterval, image: String? = nil,
                                annotations: [String: String] = [:], arrival: TimeInterval? = nil) -> LatticeInput {
        event(.providerStarted(ProviderStartedEvent(hostID: host, imageRef: image ?? "ghcr.io/test/\(provider):1.0",
                                                    providerID: provider, annotations: annotations)),
              from: host, at: time, arrival: arrival)
    }

    static func providerStopped(_ host: String, _ provider: String, at time: TimeInterval, arrival: TimeInterval? = nil) -> LatticeInput {
        event(.providerStopped(ProviderStoppedEvent(hostID: host, providerID: provider)), from: host, at: time, arrival: arrival)
    }

    static func startFailed(_ host: String, _ provider: String, error: String, at time: TimeInterval) -> LatticeInput {
        event(.providerStartFailed(ProviderStartFailedEvent(providerRef: "ghcr.io/test/\(provider):1.0", providerID: provider,
                                                            hostID: host, error: error)),
              from: host, at: time)
    }

    enum Health { case passed, failed, status }

    static func health(_ kind: Health, _ host: String, _ provider: String, at time: TimeInterval, arrival: TimeInterval? = nil) -> LatticeInput {
        let e = HealthCheckEvent(hostID: host, providerID: provider)
        let payload: LatticeEventPayload
        switch kind {
        case .passed: payload = .healthCheckPassed(e)
        case .failed: payload = .healthCheckFailed(e)
        case .status: payload = .healthCheckStatus(e)
        }
        return event(payload, from: host, at: time, arrival: arrival)
    }

    static func hostStarted(_ host: String, at time: TimeInterval, labels: [String: String] = [:]) -> LatticeInput {
        event(.hostStarted(HostStartedEvent(friendlyName: "name-\(host)", labels: labels, version: "1.9.2")), from: host, at: time)
    }

    static func hostStopped(_ host: String, at time: TimeInterval) -> LatticeInput {
        event(.hostStopped(HostStoppedEvent(labels: [:])), from: host, at: time)
    }

    static func link(_ source: String, _ target: String, package: String = "http", name: String = "default",
                     interfaces: [String] = ["incoming-handler"], sourceConfig: [String] = [], targetConfig: [String] = []) -> Link {
        Link(sourceID: source, target: target, name: name, witNamespace: "wasi", witPackage: package,
             interfaces: interfaces, sourceConfig: sourceConfig, targetConfig: targetConfig)
    }

    static func linkSet(_ link: Link, at time: TimeInterval, from host: String = h1) -> LatticeInput {
        event(.linkdefSet(link), from: host, at: time)
    }

    static func linkRefused(_ link: Link, error: String, at time: TimeInterval, from host: String = h1) -> LatticeInput {
        event(.linkdefSetFailed(LinkDefSetFailedEvent(link: link, error: error)), from: host, at: time)
    }

    static func linkDeleted(_ link: Link, withTarget: Bool, at time: TimeInterval, from host: String = h1) -> LatticeInput {
        let deleted = withTarget
            ? LinkDefDeletedEvent(removed: link)
            : LinkDefDeletedEvent(sourceID: link.sourceID, name: link.name, witNamespace: link.witNamespace, witPackage: link.witPackage)
        return event(.linkdefDeleted(deleted), from: host, at: time)
    }

    static func configSet(_ name: String, at time: TimeInterval, from host: String = h1) -> LatticeInput {
        event(.configSet(ConfigEvent(configName: name)), from: host, at: time)
    }

    static func configDeleted(_ name: String, at time: TimeInterval, from host: String = h1) -> LatticeInput {
        event(.configDeleted(ConfigEvent(configName: name)), from: host, at: time)
    }

    static func ping(_ host: String, syncID: Int = 1, at time: TimeInterval) -> LatticeInput {
        .hostPinged(HostInfo(id: host, friendlyName: "name-\(host)", labels: [:], lattice: "default", uptimeSeconds: 100,
                             version: "1.9.2", ctlHost: "nats://ctl:4222", rpcHost: "nats://rpc:4222"),
                    syncID: syncID, at: TestTime.at(time))
    }

    static func tick(_ time: TimeInterval) -> LatticeInput { .tick(TestTime.at(time)) }
}

extension LatticeState {
    init(_ inputs: [LatticeInput], configuration: LatticeStateConfiguration = LatticeStateConfiguration()) {
        self.init(configuration: configuration)
        apply(contentsOf: inputs)
    }
}
