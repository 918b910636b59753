/// A control operation as a simulated host tells it from its subject,
/// `{prefix}.v1.{lattice}.{noun}.{verb}[.{target}]` (protocol reference §1.1, §1.5); the raw
/// value is the `noun.verb` part. Deliberately its own list, not the client's `CtlOperation`:
/// the simulator shares nothing with the client it tests.
public enum SimulatedOperation: String, Sendable, Hashable, CaseIterable {
    case hostPing = "host.ping"
    case hostGet = "host.get"
    case hostStop = "host.stop"
    case componentScale = "component.scale"
    case componentUpdate = "component.update"
    case componentAuction = "component.auction"
    case providerStart = "provider.start"
    case providerStop = "provider.stop"
    case providerAuction = "provider.auction"
    case linkGet = "link.get"
    case linkPut = "link.put"
    case linkDelete = "link.del"
    case configGet = "config.get"
    case configPut = "config.put"
    case configDelete = "config.del"
    case labelPut = "label.put"
    case labelDelete = "label.del"
    case claimsGet = "claims.get"
    case registryPut = "registry.put"

    /// Reads change nothing; the simulator only counts them.
    var isRead: Bool {
        switch self {
        case .hostPing, .hostGet, .linkGet, .configGet, .claimsGet: return true
        default: return false
        }
    }

    /// Operations whose last subject token is a host ID or a config name.
    var hasTarget: Bool {
        switch self {
        case .hostGet, .hostStop, .componentScale, .componentUpdate, .providerStart, .providerStop, .labelPut, .labelDelete,
             .configGet, .configPut, .configDelete:
            return true
        default:
            return false
        }
    }
}

/// The control subjects a simulated host listens on, built and read from the subject grammar.
struct SimSubjects: Sendable {
    let prefix: String
    let lattice: String

    /// `{prefix}.v1.{lattice}`.
    var base: String { "\(prefix).v1.\(lattice)" }

    func subject(_ operation: SimulatedOperation, _ target: String? = nil) -> String {
        "\(base).\(operation.rawValue)" + (target.map { ".\($0)" } ?? "")
    }

    /// The operation and target of a subject under `base`; nil for anything else (a host answers
    /// that with "unsupported subject").
    func parse(_ subject: String) -> (operation: SimulatedOperation, target: String?)? {
        guard subject.hasPrefix(base + ".") else { return nil }
        let rest = subject.dropFirst(base.count + 1).split(separator: ".", omittingEmptySubsequences: false)
        guard rest.count >= 2, let operation = SimulatedOperation(rawValue: "\(rest[0]).\(rest[1])") else { return nil }
        if operation.hasTarget {
            guard rest.count == 3, !rest[2].isEmpty else { return nil }
            return (operation, String(rest[2]))
        }
        return rest.count == 2 ? (operation, nil) : nil
    }
}
