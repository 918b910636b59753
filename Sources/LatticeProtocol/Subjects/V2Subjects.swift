import Foundation

/// The four commands a wasmCloud v2 host answers on `runtime.host.{hostID}.{command}`.
public enum V2HostCommand: String, Sendable, Hashable, Codable, CaseIterable {
    case heartbeat
    case workloadStart = "workload.start"
    case workloadStatus = "workload.status"
    case workloadStop = "workload.stop"
}

/// wasmCloud v2 subjects (`runtime.*`; v2 hosts have no lattice).
public enum V2Subjects {
    /// What the v2 operator subscribes to; every host's periodic heartbeat.
    public static let heartbeatWildcard = "runtime.operator.heartbeat.>"
    static let heartbeatPrefix = "runtime.operator.heartbeat."

    /// `runtime.operator.heartbeat.{hostID}`
    public static func heartbeat(hostID: String) -> String { heartbeatPrefix + hostID }

    /// `runtime.host.{hostID}.{command}`
    public static func hostCommand(hostID: String, _ command: V2HostCommand) -> String {
        "runtime.host.\(hostID).\(command.rawValue)"
    }

    /// The host ID of a `runtime.operator.heartbeat.{hostID}` subject.
    public static func heartbeatHostID(_ subject: String) -> String? {
        guard subject.hasPrefix(heartbeatPrefix) else { return nil }
        let hostID = subject.dropFirst(heartbeatPrefix.count)
        guard !hostID.isEmpty, !hostID.contains(".") else { return nil }
        return String(hostID)
    }
}
