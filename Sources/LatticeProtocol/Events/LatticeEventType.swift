import Foundation

/// The CloudEvents `type`s a 1.x lattice carries: the 17 a wasmCloud 1.9 host emits plus wadm's
/// two manifest events.
public enum LatticeEventType: String, Sendable, Hashable, Codable, CaseIterable {
    case hostStarted = "com.wasmcloud.lattice.host_started"
    case hostStopped = "com.wasmcloud.lattice.host_stopped"
    case hostHeartbeat = "com.wasmcloud.lattice.host_heartbeat"
    case labelsChanged = "com.wasmcloud.lattice.labels_changed"
    case componentScaled = "com.wasmcloud.lattice.component_scaled"
    case componentScaleFailed = "com.wasmcloud.lattice.component_scale_failed"
    case providerStarted = "com.wasmcloud.lattice.provider_started"
    case providerStartFailed = "com.wasmcloud.lattice.provider_start_failed"
    case providerStopped = "com.wasmcloud.lattice.provider_stopped"
    case healthCheckPassed = "com.wasmcloud.lattice.health_check_passed"
    case healthCheckFailed = "com.wasmcloud.lattice.health_check_failed"
    case healthCheckStatus = "com.wasmcloud.lattice.health_check_status"
    case linkdefSet = "com.wasmcloud.lattice.linkdef_set"
    case linkdefSetFailed = "com.wasmcloud.lattice.linkdef_set_failed"
    case linkdefDeleted = "com.wasmcloud.lattice.linkdef_deleted"
    case configSet = "com.wasmcloud.lattice.config_set"
    case configDeleted = "com.wasmcloud.lattice.config_deleted"
    case manifestPublished = "com.wadm.manifest_published"
    case manifestUnpublished = "com.wadm.manifest_unpublished"

    public static let hostTypePrefix = "com.wasmcloud.lattice."
    public static let wadmTypePrefix = "com.wadm."

    /// The last part of the type, also the last subject token: `host_heartbeat`.
    public var shortName: String {
        let prefix = isWadmEvent ? Self.wadmTypePrefix : Self.hostTypePrefix
        return String(rawValue.dropFirst(prefix.count))
    }

    /// `true` for wadm's own events (published by wadm on `wadm.evt.…`, source `wadm`).
    public var isWadmEvent: Bool { rawValue.hasPrefix(Self.wadmTypePrefix) }

    /// Looks a type up by the short name a host uses as the subject's last token.
    public init?(shortName: String) {
        guard let match = Self.allCases.first(where: { $0.shortName == shortName }) else { return nil }
        self = match
    }
}
