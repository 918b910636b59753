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

    /// An event whose `data` object is encoded already.
    init(_ type: String, encoded data: Data) {
        self.type = type
        self.data = data
    }

    static func subject(lattice: String, type: String) -> String { "wasmbus.evt.\(lattice).\(type)" }

    /// The CloudEvent bytes.
    func envelope(source: String, at time: Date = Date()) -> Data {
        // The keys in serde's (sorted) order around the already encoded `data`: the same bytes as
        // encoding the whole object, without decoding `data` again (a heartbeat a host every 30 s).
        var out = Data()
        out.reserveCapacity(data.count + 220 + source.utf8.count)
        out.append(contentsOf: #"{"data":"#.utf8)
        out.append(data.isEmpty ? Data("{}".utf8) : data)
        out.append(contentsOf: #","datacontenttype":"application/json","id":"#.utf8)
        out.append(contentsOf: ("\"" + Self.id(at: time) + "\",\"source\":").utf8)
        out.append(SimJSON.string(source))
        out.append(contentsOf: #","specversion":"1.0","time":""#.utf8)
        out.append(contentsOf: (Self.rfc3339(time) + #"","type":"#).utf8)
        out.append(SimJSON.string("com.wasmcloud.lattice.\(type)"))
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A ULID (48-bit milliseconds, 80 random bits) written as a UUID.
    static func id(at time: Date) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let ms = UInt64(max(0, time.timeIntervalSince1970 * 1000))
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - i))) }
        for i in 6..<16 { bytes[i] = UInt8.random(in: 0...255) }
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(b >> 4)])
            text.append(hexDigits[Int(b & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `2025-06-01T12:00:00.500000Z`.
    static func rfc3339(_ time: Date) -> String {
        let whole = floor(time.timeIntervalSince1970)
        let micros = min(999_999, Int(((time.timeIntervalSince1970 - whole) * 1_000_000).rounded(.down)))
        var seconds = time_t(whole)
        var c = tm()
        gmtime_r(&seconds, &c)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let micro = String(micros)
        return pad(c.tm_year + 1900, 4) + "-" + pad(c.tm_mon + 1, 2) + "-" + pad(c.tm_mday, 2) + "T" + pad(c.tm_hour, 2) + ":"
            + pad(c.tm_min, 2) + ":" + pad(c.tm_sec, 2) + "." + String(repeating: "0", count: 6 - micro.count) + micro + "Z"
    }

    // MARK: - Payloads (protocol reference §2.3)

    static func hostStarted(friendlyName: String, labels: [String: String], version: String) -> SimulatedEvent {
        SimulatedEvent("host_started", ["friendly_name": friendlyName, "labels": labels, "uptime_seconds": 0, "version": version])
    }

    static func hostStopped(labels: [String: String]) -> SimulatedEvent {
        SimulatedEvent("host_stopped", ["labels": labels])
    }

    /// `data` is the host's `HostInventory`, encoded.
    static func heartbeat(encoded inventory: Data) -> SimulatedEvent {
        SimulatedEvent("host_heartbeat", encoded: inventory)
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
