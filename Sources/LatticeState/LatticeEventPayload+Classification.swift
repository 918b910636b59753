import LatticeProtocol

/// Event types as the reducer sorts them: a number per type (for tie-breaks, duplicate keys and
/// counting without strings) and whether an event is about one host.
extension LatticeEventPayload {
    /// Short type names (`host_heartbeat`) by `rank`, made once.
    static let shortNames: [String] = {
        var names = [String](repeating: "", count: 21)
        names[20] = "unknown"
        for type in LatticeEventType.allCases { names[Int(rank(of: type))] = type.shortName }
        return names
    }()

    private static func rank(of type: LatticeEventType) -> UInt8 {
        switch type {
        case .hostStarted: return 1
        case .hostStopped: return 2
        case .hostHeartbeat: return 3
        case .labelsChanged: return 4
        case .componentScaled: return 5
        case .componentScaleFailed: return 6
        case .providerStarted: return 7
        case .providerStartFailed: return 8
        case .providerStopped: return 9
        case .healthCheckPassed: return 10
        case .healthCheckStatus: return 11
        case .healthCheckFailed: return 12
        case .linkdefSet: return 13
        case .linkdefSetFailed: return 14
        case .linkdefDeleted: return 15
        case .configSet: return 16
        case .configDeleted: return 17
        case .manifestPublished: return 18
        case .manifestUnpublished: return 19
        }
    }

    /// Events about one host's own state (its record is updated, with the sign of life, by the
    /// handler itself).
    var isHostScoped: Bool {
        switch self {
        case .linkdefSet, .linkdefSetFailed, .linkdefDeleted, .configSet, .configDeleted,
             .manifestPublished, .manifestUnpublished, .unknown:
            return false
        default:
            return true
        }
    }

    /// A small number per event type: the last tie-break between facts with the same time and
    /// ID. `health_check_failed` ranks above `_passed`, so at a tie the pessimistic one wins.
    var rank: UInt8 {
        knownType.map(Self.rank(of:)) ?? 20
    }
}
