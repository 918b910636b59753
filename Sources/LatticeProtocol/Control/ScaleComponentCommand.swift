import Foundation

/// Body of `component.scale.{hostID}`.
///
/// The instance count travels as **`count`**. A `max_instances` key is ignored by the host (and
/// by this decoder), which means "scale to 0" — never send it.
public struct ScaleComponentCommand: Sendable, Hashable, Codable {
    /// Lattice-unique component ID (required).
    public var componentID: String
    /// OCI reference or `file://…`.
    public var componentRef: String
    /// Maximum concurrent instances; 0 stops the component. wash uses `UInt32.max` by default.
    public var count: UInt32
    /// Informational; routing is by subject.
    public var hostID: String
    public var annotations: [String: String]?
    /// Named configs, merged left to right.
    public var config: [String]
    /// v1.1+: update to `componentRef` if a different ref is running.
    public var allowUpdate: Bool
    /// v1.9+: `max_memory_limit` (bytes) and `max_execution_time` (seconds) as decimal strings.
    public var componentLimits: [String: String]?

    public init(
        componentID: String, componentRef: String = "", count: UInt32, hostID: String = "",
        annotations: [String: String]? = nil, config: [String] = [], allowUpdate: Bool = false,
        componentLimits: [String: String]? = nil
    ) {
        self.componentID = componentID
        self.componentRef = componentRef
        self.count = count
        self.hostID = hostID
        self.annotations = annotations
        self.config = config
        self.allowUpdate = allowUpdate
        self.componentLimits = componentLimits
    }

    enum CodingKeys: String, CodingKey {
        case componentID = "component_id"
        case componentRef = "component_ref"
        case count
        case hostID = "host_id"
        case annotations
        case config
        case allowUpdate = "allow_update"
        case componentLimits = "component_limits"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        componentID = try c.decode(String.self, forKey: .componentID)
        componentRef = try c.decode(String.self, forKey: .componentRef, default: "")
        count = try c.decode(UInt32.self, forKey: .count, default: 0)
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
        config = try c.decode([String].self, forKey: .config, default: [])
        allowUpdate = try c.decode(Bool.self, forKey: .allowUpdate, default: false)
        componentLimits = try c.decodeIfPresent([String: String].self, forKey: .componentLimits)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(componentRef, forKey: .componentRef)
        try c.encode(componentID, forKey: .componentID)
        try c.encodeIfPresent(annotations, forKey: .annotations)
        try c.encode(count, forKey: .count)
        try c.encode(hostID, forKey: .hostID)
        try c.encode(config, forKey: .config)
        try c.encode(allowUpdate, forKey: .allowUpdate)
        try c.encodeIfPresent(componentLimits, forKey: .componentLimits)
    }
}
