import Foundation

/// A wasmCloud v2 `HostHeartbeat`: published on `runtime.operator.heartbeat.{hostID}` and the
/// reply to `runtime.host.{hostID}.heartbeat`.
///
/// Proto3 JSON mapping: lowerCamelCase keys, zero values left out (every key optional here),
/// 64-bit counters as decimal strings (numbers are accepted too), unknown keys ignored.
public struct V2HostHeartbeat: Sendable, Hashable, Codable {
    /// Opaque (UUIDv7 from wash 2.10).
    public var id: String
    public var hostname: String
    public var friendlyName: String
    public var version: String
    /// Always has `hostgroup`.
    public var labels: [String: String]
    /// Raw RFC 3339 text (nanoseconds, `+00:00`).
    public var startedAt: String?
    public var osArch: String
    public var osName: String
    /// The OS *family* (`unix`), despite the name.
    public var osKernel: String
    /// Whole-machine CPU %, 0–100.
    public var systemCPUUsage: Double
    public var systemMemoryTotal: UInt64
    public var systemMemoryFree: UInt64
    /// Components across running workloads.
    public var componentCount: UInt64
    /// Workloads in any state.
    public var workloadCount: UInt64
    public var imports: [V2WitInterface]
    public var exports: [V2WitInterface]
    /// HTTP ingress port, `nil` when the host has none.
    public var httpPort: UInt32?
    public var environment: String?

    public init(
        id: String, hostname: String = "", friendlyName: String = "", version: String = "",
        labels: [String: String] = [:], startedAt: String? = nil, osArch: String = "", osName: String = "",
        osKernel: String = "", systemCPUUsage: Double = 0, systemMemoryTotal: UInt64 = 0,
        systemMemoryFree: UInt64 = 0, componentCount: UInt64 = 0, workloadCount: UInt64 = 0,
        imports: [V2WitInterface] = [], exports: [V2WitInterface] = [], httpPort: UInt32? = nil,
        environment: String? = nil
    ) {
        self.id = id
        self.hostname = hostname
        self.friendlyName = friendlyName
        self.version = version
        self.labels = labels
        self.startedAt = startedAt
        self.osArch = osArch
        self.osName = osName
        self.osKernel = osKernel
        self.systemCPUUsage = systemCPUUsage
        self.systemMemoryTotal = systemMemoryTotal
        self.systemMemoryFree = systemMemoryFree
        self.componentCount = componentCount
        self.workloadCount = workloadCount
        self.imports = imports
        self.exports = exports
        self.httpPort = httpPort
        self.environment = environment
    }

    public static let hostGroupLabel = "hostgroup"

    /// The `hostgroup` label (v2's grouping key; v2 hosts have no lattice).
    public var hostGroup: String? { labels[Self.hostGroupLabel] }

    /// `startedAt` parsed.
    public var startedAtDate: Date? { startedAt.flatMap(RFC3339.parse) }

    /// Decodes heartbeat bytes (compact or pretty JSON).
    public static func decode(_ data: Data) throws -> V2HostHeartbeat {
        try WireJSON.decode(V2HostHeartbeat.self, from: data)
    }

    enum CodingKeys: String, CodingKey {
        case id, hostname, friendlyName, version, labels, startedAt, osArch, osName, osKernel
        case systemCPUUsage = "systemCpuUsage"
        case systemMemoryTotal, systemMemoryFree, componentCount, workloadCount
        case imports, exports, httpPort, environment
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id, default: "")
        hostname = try c.decode(String.self, forKey: .hostname, default: "")
        friendlyName = try c.decode(String.self, forKey: .friendlyName, default: "")
        version = try c.decode(String.self, forKey: .version, default: "")
        labels = try c.decode([String: String].self, forKey: .labels, default: [:])
        startedAt = try c.decodeIfPresent(String.self, forKey: .startedAt)
        osArch = try c.decode(String.self, forKey: .osArch, default: "")
        osName = try c.decode(String.self, forKey: .osName, default: "")
        osKernel = try c.decode(String.self, forKey: .osKernel, default: "")
        systemCPUUsage = try c.decode(Double.self, forKey: .systemCPUUsage, default: 0)
        systemMemoryTotal = try c.decodeProtoUInt64(forKey: .systemMemoryTotal) ?? 0
        systemMemoryFree = try c.decodeProtoUInt64(forKey: .systemMemoryFree) ?? 0
        componentCount = try c.decodeProtoUInt64(forKey: .componentCount) ?? 0
        workloadCount = try c.decodeProtoUInt64(forKey: .workloadCount) ?? 0
        imports = try c.decode([V2WitInterface].self, forKey: .imports, default: [])
        exports = try c.decode([V2WitInterface].self, forKey: .exports, default: [])
        httpPort = try c.decodeIfPresent(UInt32.self, forKey: .httpPort).flatMap { $0 == 0 ? nil : $0 }
        environment = try c.decodeIfPresent(String.self, forKey: .environment).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Encodes like the host: zero values left out, 64-bit values as strings.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func string(_ value: String, _ key: CodingKeys) throws {
            if !value.isEmpty { try c.encode(value, forKey: key) }
        }
        try string(id, .id)
        try string(hostname, .hostname)
        try string(friendlyName, .friendlyName)
        try string(version, .version)
        if !labels.isEmpty { try c.encode(labels, forKey: .labels) }
        try c.encodeIfPresent(startedAt, forKey: .startedAt)
        try string(osArch, .osArch)
        try string(osName, .osName)
        try string(osKernel, .osKernel)
        if systemCPUUsage != 0 { try c.encode(systemCPUUsage, forKey: .systemCPUUsage) }
        try c.encodeProtoUInt64(systemMemoryTotal, forKey: .systemMemoryTotal)
        try c.encodeProtoUInt64(systemMemoryFree, forKey: .systemMemoryFree)
        try c.encodeProtoUInt64(componentCount, forKey: .componentCount)
        try c.encodeProtoUInt64(workloadCount, forKey: .workloadCount)
        if !imports.isEmpty { try c.encode(imports, forKey: .imports) }
        if !exports.isEmpty { try c.encode(exports, forKey: .exports) }
        try c.encodeIfPresent(httpPort, forKey: .httpPort)
        try c.encodeIfPresent(environment, forKey: .environment)
    }
}
