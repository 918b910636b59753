import Foundation

/// A lattice CloudEvent (CloudEvents 1.0, JSON structured mode).
///
/// `time` keeps the raw string; `date` is its parsed value (`nil` if absent or unparseable).
/// The CloudEvents `type` is derived from `payload`, so the two cannot disagree. When `data`
/// has no `host_id` (e.g. `provider_start_failed` before v1.6) decoding fills it from `source`.
public struct LatticeEvent: Sendable, Hashable, Codable {
    public static let specVersion10 = "1.0"
    public static let jsonContentType = "application/json"

    public var specVersion: String
    public var id: String
    /// Publishing host's public key (`N…`), or `wadm` for wadm's events.
    public var source: String
    public var dataContentType: String?
    public var time: String? {
        didSet { date = time.flatMap(RFC3339.parse) }
    }
    public private(set) var date: Date?
    public var payload: LatticeEventPayload

    public init(
        specVersion: String = LatticeEvent.specVersion10, id: String, source: String,
        dataContentType: String? = LatticeEvent.jsonContentType, time: String?, payload: LatticeEventPayload
    ) {
        self.specVersion = specVersion
        self.id = id
        self.source = source
        self.dataContentType = dataContentType
        self.time = time
        self.date = time.flatMap(RFC3339.parse)
        self.payload = payload
    }

    /// The full CloudEvents type, e.g. `com.wasmcloud.lattice.host_heartbeat`.
    public var type: String { payload.type }
    public var knownType: LatticeEventType? { payload.knownType }

    /// The host the event is about: `data.host_id` if present, else `source`. `nil` for wadm events.
    public var hostID: String? {
        if let hostID = payload.hostID, !hostID.isEmpty { return hostID }
        if knownType?.isWadmEvent == true { return nil }
        return source.isEmpty ? nil : source
    }

    enum CodingKeys: String, CodingKey {
        case specVersion = "specversion"
        case id, source, type, time, data
        case dataContentType = "datacontenttype"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let source = try c.decode(String.self, forKey: .source, default: "")
        self.init(
            specVersion: try c.decode(String.self, forKey: .specVersion, default: Self.specVersion10),
            id: try c.decode(String.self, forKey: .id, default: ""),
            source: source,
            dataContentType: try c.decodeIfPresent(String.self, forKey: .dataContentType),
            time: try c.decodeIfPresent(String.self, forKey: .time),
            payload: try LatticeEventPayload(from: decoder).fillingMissingHostID(with: source))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(specVersion, forKey: .specVersion)
        try c.encode(id, forKey: .id)
        try c.encode(source, forKey: .source)
        try c.encodeIfPresent(dataContentType, forKey: .dataContentType)
        try c.encodeIfPresent(time, forKey: .time)
        try payload.encode(to: encoder)
    }
}
