import Foundation

/// The events that make most of a big lattice's traffic — `host_heartbeat` (every host every
/// 30 s, with its whole inventory: 333 a second of ~12 KB at 10,000 hosts) and the provider
/// health reports (`health_check_passed` / `_failed` / `_status`) — read without `Codable`, as
/// `HostReplyDecoder` reads control replies: `JSONScanner` goes over the message once and the
/// values are made as `LatticeEvent.init(from:)` makes them. Any other type, and anything the
/// scanner declines (see there), or a shape the `Codable` path would refuse, is left to
/// `JSONDecoder`, so an event decodes to the same value, or fails with the same error, either way
/// (`EventDirectDecodingTests`).
extension LatticeEventDecoder {
    /// The direct reading alone (nil: declined), for tests and the fuzzer.
    public static func direct(_ data: Data) -> LatticeEvent? {
        guard WireJSON.firstInvalidUTF8Offset(data) == nil else { return nil }
        return data.withUnsafeBytes { bytes -> LatticeEvent? in
            var s = JSONScanner(bytes)
            var specVersion: String?, id: String?, source: String?, contentType: String?, time: String?
            var type: LatticeEventType?
            var payload: LatticeEventPayload?
            // Where `data` starts when it comes before `type` (as serde's sorted keys put it):
            // skipped, then read once the type is known.
            var dataStart: Int?
            let ok = s.object { s, key in
                switch key {
                case "specversion": return s.nullable(&specVersion)
                case "id": return s.nullable(&id)
                case "source": return s.nullable(&source)
                case "datacontenttype": return s.nullable(&contentType)
                case "time": return s.nullable(&time)
                case "type":
                    guard let text = s.string(), let known = LatticeEventType(rawValue: text), directPayload(known) != nil else {
                        return false
                    }
                    type = known
                    return true
                case "data":
                    // No data (`null`): the `Codable` path reads `{}` and reports what is missing.
                    if s.null() { return false }
                    if let type, let read = directPayload(type) {
                        payload = read(&s)
                        return payload != nil
                    }
                    dataStart = s.index
                    return s.skipValue()
                default: return s.skipValue()
                }
            }
            guard ok, s.atEnd(), let type, let read = directPayload(type) else { return nil }
            if payload == nil, let dataStart {
                var d = JSONScanner(bytes, at: dataStart)
                payload = read(&d)
            }
            guard let payload else { return nil }
            let from = source ?? ""
            return LatticeEvent(specVersion: specVersion ?? LatticeEvent.specVersion10, id: id ?? "", source: from,
                                dataContentType: contentType, time: time, payload: payload.fillingMissingHostID(with: from))
        }
    }

    /// The reader of `type`'s data, nil for the types left to `Codable`.
    private static func directPayload(_ type: LatticeEventType) -> ((inout JSONScanner) -> LatticeEventPayload?)? {
        switch type {
        case .hostHeartbeat: return { HostReplyDecoder.hostInventory(&$0).map(LatticeEventPayload.hostHeartbeat) }
        case .healthCheckPassed: return { healthCheck(&$0).map(LatticeEventPayload.healthCheckPassed) }
        case .healthCheckFailed: return { healthCheck(&$0).map(LatticeEventPayload.healthCheckFailed) }
        case .healthCheckStatus: return { healthCheck(&$0).map(LatticeEventPayload.healthCheckStatus) }
        default: return nil
        }
    }

    /// `HealthCheckEvent` as its `init(from:)` reads it: `provider_id` required.
    static func healthCheck(_ s: inout JSONScanner) -> HealthCheckEvent? {
        var hostID: String?, providerID: String?
        let ok = s.object { s, key in
            switch key {
            case "host_id": return s.nullable(&hostID)
            case "provider_id": return s.required(&providerID)
            default: return s.skipValue()
            }
        }
        guard ok, let providerID else { return nil }
        return HealthCheckEvent(hostID: hostID ?? "", providerID: providerID)
    }
}
