import Foundation

/// A lattice event as a host publishes it (protocol reference §2.1): a CloudEvent in JSON
/// structured mode on `wasmbus.evt.{lattice}.{type}`, `type` `com.wasmcloud.lattice.{type}`,
/// `source` the host's key, a time-sortable UUID-shaped ID made from a ULID, `time` in RFC 3339
/// UTC with microseconds.
struct SimulatedEvent: Sendable {
    /// The short type, e.g. `component_scaled`.
    let type: String
    /// The encoded `data` object.
    let data: Data

    init(_ type: String, _ data: [String: Any]) {
        self.type = type
        self.data = SimJSON.encode(data)
    }

    static func subject(lattice: String, type: String) -> String { "wasmbus.evt.\(lattice).\(type)" }

    /// The CloudEvent bytes.
    func envelope(source: String, at time: Date = Date()) -> Data {
        let data = (try? JSONSerialization.jsonObject(with: self.data)) ?? [String: Any]()
        return SimJSON.encode([
            "specversion": "1.0", "id": Self.id(at: time), "type": "com.wasmcloud.lattice.\(type)", "source": source,
            "datacontenttype": "application/json", "time": Self.rfc3339(time), "data": data,
        ] as [String: Any])
    }

    /// A ULID (48-bit milliseconds, 80 random bits) written as a UUID.
    static func id(at time: Date) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let ms = UInt64(max(0, time.timeIntervalSince1970 * 1000))
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - i))) }
        for i in 6..<16 { bytes[i] = UInt8.random(in: 0...255) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let h = Array(hex)
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }

    /// `2025-06-01T12:00:00.500000Z`.
    static func rfc3339(_ time: Date) -> String {
        let whole = floor(time.timeIntervalSince1970)
        let micros = min(999_999, Int(((time.timeIntervalSince1970 - whole) * 1_000_000).rounded(.down)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, micros)
    }

    // MARK: - Payloads (protocol reference §2.3)

    static func hostStarted(friendlyName: String, labels: [String: String], version: String) -> SimulatedEvent {
        SimulatedEvent("host_started", ["friendly_name": friendlyName, "labels": labels, "uptime_seconds": 0, "version": version])
    }

    static func hostStopped(labels: [String: String]) -> SimulatedEvent {
        SimulatedEvent("host_stopped", ["labels": labels])
    }

    static func heartbeat(_ inventory: [String: Any]) -> SimulatedEvent {
        SimulatedEvent("host_heartbeat", inventory)
    }

    static func labelsChanged(host: String, labels: [String: String]) -> SimulatedEvent {
        SimulatedEvent("labels_changed", ["host_id": host, "labels": labels])
    }

    static func componentScaled(host: String, id: String, imageRef: String, maxInstances: UInt32, annotations: [String: String]) -> SimulatedEvent {
        SimulatedEvent("component_scaled", ["annotations": annotations, "host_id": host, "image_ref": imageRef,
                                            "max_instances": Int(maxInstances), "component_id": id])
    }

    static func componentScaleFailed(host: String, id: String, imageRef: String, maxInstances: UInt32, annotations: [String: String],
                                     error: String) -> SimulatedEvent {
        SimulatedEvent("component_scale_failed", ["annotations": annotations, "component_id": id, "host_id": host, "image_ref": imageRef,
                                                  "max_instances": Int(maxInstances), "error": error])
    }

    static func providerStarted(host: String, id: String, imageRef: String, annotations: [String: String]) -> SimulatedEvent {
        SimulatedEvent("provider_started", ["host_id": host, "image_ref": imageRef, "provider_id": id, "annotations": annotations])
    }

    static func providerStartFailed(host: String, id: String, ref: String, error: String) -> SimulatedEvent {
        SimulatedEvent("provider_start_failed", ["provider_ref": ref, "provider_id": id, "host_id": host, "error": error,
                                                 "link_name": "default"])
    }

    static func providerStopped(host: String, id: String, annotations: [String: String]) -> SimulatedEvent {
        SimulatedEvent("provider_stopped", ["host_id": host, "provider_id": id, "annotations": annotations, "reason": "stop",
                                            "instance_id": id, "public_key": id, "link_name": "default"])
    }

    /// `passed`, `failed` or `status`.
    static func health(_ kind: String, host: String, provider: String) -> SimulatedEvent {
        SimulatedEvent("health_check_\(kind)", ["host_id": host, "provider_id": provider])
    }

    static func linkSet(_ link: SimulatedLink) -> SimulatedEvent { SimulatedEvent("linkdef_set", link.json) }

    static func linkSetFailed(_ link: SimulatedLink, error: String) -> SimulatedEvent {
        var data = link.json
        data["error"] = error
        return SimulatedEvent("linkdef_set_failed", data)
    }

    /// `removed`: the link a delete took away (then its target and interfaces are named, 1.3+).
    static func linkDeleted(source: String, name: String, namespace: String, package: String, removed: SimulatedLink?) -> SimulatedEvent {
        var data: [String: Any] = ["source_id": source, "name": name, "wit_namespace": namespace, "wit_package": package]
        if let removed {
            data["target"] = removed.target
            data["interfaces"] = removed.interfaces
        }
        return SimulatedEvent("linkdef_deleted", data)
    }

    static func configSet(_ name: String) -> SimulatedEvent { SimulatedEvent("config_set", ["config_name": name]) }
    static func configDeleted(_ name: String) -> SimulatedEvent { SimulatedEvent("config_deleted", ["config_name": name]) }
}
