import Foundation

/// The typed `data` of a lattice event. Unknown types are kept as `.unknown` with the `data`
/// JSON (compact, sorted keys; empty when the event had no `data`).
///
/// Codable as `{"type": …, "data": …}`, the same two keys a CloudEvent uses, so a `LatticeEvent`
/// reads and writes its payload through this type.
public enum LatticeEventPayload: Sendable, Hashable, Codable {
    case hostStarted(HostStartedEvent)
    case hostStopped(HostStoppedEvent)
    case hostHeartbeat(HostInventory)
    case labelsChanged(LabelsChangedEvent)
    case componentScaled(ComponentScaledEvent)
    case componentScaleFailed(ComponentScaleFailedEvent)
    case providerStarted(ProviderStartedEvent)
    case providerStartFailed(ProviderStartFailedEvent)
    case providerStopped(ProviderStoppedEvent)
    case healthCheckPassed(HealthCheckEvent)
    case healthCheckFailed(HealthCheckEvent)
    case healthCheckStatus(HealthCheckEvent)
    case linkdefSet(Link)
    case linkdefSetFailed(LinkDefSetFailedEvent)
    case linkdefDeleted(LinkDefDeletedEvent)
    case configSet(ConfigEvent)
    case configDeleted(ConfigEvent)
    case manifestPublished(ManifestPublishedEvent)
    case manifestUnpublished(ManifestUnpublishedEvent)
    case unknown(type: String, raw: Data)

    public var knownType: LatticeEventType? {
        switch self {
        case .hostStarted: return .hostStarted
        case .hostStopped: return .hostStopped
        case .hostHeartbeat: return .hostHeartbeat
        case .labelsChanged: return .labelsChanged
        case .componentScaled: return .componentScaled
        case .componentScaleFailed: return .componentScaleFailed
        case .providerStarted: return .providerStarted
        case .providerStartFailed: return .providerStartFailed
        case .providerStopped: return .providerStopped
        case .healthCheckPassed: return .healthCheckPassed
        case .healthCheckFailed: return .healthCheckFailed
        case .healthCheckStatus: return .healthCheckStatus
        case .linkdefSet: return .linkdefSet
        case .linkdefSetFailed: return .linkdefSetFailed
        case .linkdefDeleted: return .linkdefDeleted
        case .configSet: return .configSet
        case .configDeleted: return .configDeleted
        case .manifestPublished: return .manifestPublished
        case .manifestUnpublished: return .manifestUnpublished
        case .unknown: return nil
        }
    }

    /// The full CloudEvents type string.
    public var type: String {
        if case .unknown(let type, _) = self { return type }
        return knownType!.rawValue
    }

    /// The host ID inside `data`, for payloads that carry one.
    public var hostID: String? {
        switch self {
        case .hostHeartbeat(let e): return e.hostID
        case .labelsChanged(let e): return e.hostID
        case .componentScaled(let e): return e.hostID
        case .componentScaleFailed(let e): return e.hostID
        case .providerStarted(let e): return e.hostID
        case .providerStartFailed(let e): return e.hostID
        case .providerStopped(let e): return e.hostID
        case .healthCheckPassed(let e), .healthCheckFailed(let e), .healthCheckStatus(let e): return e.hostID
        default: return nil
        }
    }

    /// Fills an empty `host_id` with `hostID` (the envelope source), for events from hosts that
    /// did not send one (e.g. `provider_start_failed` before v1.6).
    public func fillingMissingHostID(with hostID: String) -> LatticeEventPayload {
        guard self.hostID?.isEmpty == true else { return self }
        switch self {
        case .hostHeartbeat(var e): e.hostID = hostID; return .hostHeartbeat(e)
        case .labelsChanged(var e): e.hostID = hostID; return .labelsChanged(e)
        case .componentScaled(var e): e.hostID = hostID; return .componentScaled(e)
        case .componentScaleFailed(var e): e.hostID = hostID; return .componentScaleFailed(e)
        case .providerStarted(var e): e.hostID = hostID; return .providerStarted(e)
        case .providerStartFailed(var e): e.hostID = hostID; return .providerStartFailed(e)
        case .providerStopped(var e): e.hostID = hostID; return .providerStopped(e)
        case .healthCheckPassed(var e): e.hostID = hostID; return .healthCheckPassed(e)
        case .healthCheckFailed(var e): e.hostID = hostID; return .healthCheckFailed(e)
        case .healthCheckStatus(var e): e.hostID = hostID; return .healthCheckStatus(e)
        default: return self
        }
    }

    // MARK: - Codable

    enum CodingKeys: String, CodingKey {
        case type, data
    }

    /// Throws `LatticeEventPayloadMismatch` when the type is known but `data` does not fit it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        guard let known = LatticeEventType(rawValue: type) else {
            let data = try c.decodeIfPresent(JSONValue.self, forKey: .data)
            self = .unknown(type: type, raw: try data.map { try $0.jsonData() } ?? Data())
            return
        }
        do {
            self = try Self.decodeData(of: known, from: c)
        } catch let error as DecodingError {
            throw LatticeEventPayloadMismatch(type: type, reason: DecodingErrorDescription.describe(error))
        } catch {
            // JSON syntax was already validated, so anything thrown here is a shape problem
            // (Foundation reports out-of-range numbers with its own internal error type).
            throw LatticeEventPayloadMismatch(type: type, reason: "\(error) at data")
        }
    }

    private static func decodeData(
        of type: LatticeEventType, from c: KeyedDecodingContainer<CodingKeys>
    ) throws -> LatticeEventPayload {
        func data<T: Decodable>(_: T.Type) throws -> T {
            if let value = try c.decodeIfPresent(T.self, forKey: .data) { return value }
            // No `data` (or `null`): decode as an empty object so defaults apply and required
            // keys are reported missing.
            return try WireJSON.decode(T.self, from: Data("{}".utf8))
        }
        switch type {
        case .hostStarted: return .hostStarted(try data(HostStartedEvent.self))
        case .hostStopped: return .hostStopped(try data(HostStoppedEvent.self))
        case .hostHeartbeat: return .hostHeartbeat(try data(HostInventory.self))
        case .labelsChanged: return .labelsChanged(try data(LabelsChangedEvent.self))
        case .componentScaled: return .componentScaled(try data(ComponentScaledEvent.self))
        case .componentScaleFailed: return .componentScaleFailed(try data(ComponentScaleFailedEvent.self))
        case .providerStarted: return .providerStarted(try data(ProviderStartedEvent.self))
        case .providerStartFailed: return .providerStartFailed(try data(ProviderStartFailedEvent.self))
        case .providerStopped: return .providerStopped(try data(ProviderStoppedEvent.self))
        case .healthCheckPassed: return .healthCheckPassed(try data(HealthCheckEvent.self))
        case .healthCheckFailed: return .healthCheckFailed(try data(HealthCheckEvent.self))
        case .healthCheckStatus: return .healthCheckStatus(try data(HealthCheckEvent.self))
        case .linkdefSet: return .linkdefSet(try data(Link.self))
        case .linkdefSetFailed: return .linkdefSetFailed(try data(LinkDefSetFailedEvent.self))
        case .linkdefDeleted: return .linkdefDeleted(try data(LinkDefDeletedEvent.self))
        case .configSet: return .configSet(try data(ConfigEvent.self))
        case .configDeleted: return .configDeleted(try data(ConfigEvent.self))
        case .manifestPublished: return .manifestPublished(try data(ManifestPublishedEvent.self))
        case .manifestUnpublished: return .manifestUnpublished(try data(ManifestUnpublishedEvent.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .hostStarted(let e): try c.encode(e, forKey: .data)
        case .hostStopped(let e): try c.encode(e, forKey: .data)
        case .hostHeartbeat(let e): try c.encode(e, forKey: .data)
        case .labelsChanged(let e): try c.encode(e, forKey: .data)
        case .componentScaled(let e): try c.encode(e, forKey: .data)
        case .componentScaleFailed(let e): try c.encode(e, forKey: .data)
        case .providerStarted(let e): try c.encode(e, forKey: .data)
        case .providerStartFailed(let e): try c.encode(e, forKey: .data)
        case .providerStopped(let e): try c.encode(e, forKey: .data)
        case .healthCheckPassed(let e), .healthCheckFailed(let e), .healthCheckStatus(let e):
            try c.encode(e, forKey: .data)
        case .linkdefSet(let e): try c.encode(e, forKey: .data)
        case .linkdefSetFailed(let e): try c.encode(e, forKey: .data)
        case .linkdefDeleted(let e): try c.encode(e, forKey: .data)
        case .configSet(let e), .configDeleted(let e): try c.encode(e, forKey: .data)
        case .manifestPublished(let e): try c.encode(e, forKey: .data)
        case .manifestUnpublished(let e): try c.encode(e, forKey: .data)
        case .unknown(_, let raw):
            if !raw.isEmpty { try c.encode(try JSONValue(jsonData: raw), forKey: .data) }
        }
    }
}

/// Thrown while decoding a `LatticeEventPayload` whose type is known but whose `data` does not
/// have that type's shape (typically a 0.x-era event). `LatticeEventDecoder` turns it into
/// `LatticeDecodeError.unsupported`.
public struct LatticeEventPayloadMismatch: Error, Sendable, Hashable, Codable {
    public var type: String
    public var reason: String
}
