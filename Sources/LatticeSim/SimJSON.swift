import Foundation

/// The simulator's JSON, written from the protocol reference as plain dictionaries and arrays
/// (`[String: Any]`, `[Any]`, strings, numbers, booleans, `NSNull`), never through the client's
/// Codable wire types: a wrong key on either side then shows up in the tests instead of being
/// shared by both.
enum SimJSON {
    /// Encodes a JSON object or array (keys sorted, `/` not escaped, as serde writes it).
    static func encode(_ value: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// One JSON string, quoted and escaped as `encode` writes it inside an object.
    static func string(_ text: String) -> Data {
        let plain = text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D || b == 0x20
        }
        if plain { return Data(("\"" + text + "\"").utf8) }
        let array = encode([text])
        return array.count >= 2 ? array.dropFirst().dropLast() : Data("\"\"".utf8)
    }

    /// JSON objects that differ only in `uptime_human` and `uptime_seconds` (a host's `Host` and
    /// `HostInventory`, whose keys sort so that those two come last but for `version`): encoded once
    /// without them, with the uptime spliced in for each reply or heartbeat.
    struct UptimeSplice: Sendable {
        let prefix: Data
        let suffix: Data

        /// Nil when the object has no top-level `version` last (then encode it whole).
        init?(withoutUptime object: [String: Any]) {
            let encoded = SimJSON.encode(object)
            guard let range = encoded.lastRange(of: Data(#","version":"#.utf8)) else { return nil }
            prefix = encoded[..<range.lowerBound]
            suffix = encoded[range.lowerBound...]
        }

        func with(uptimeSeconds: UInt64, human: String) -> Data {
            var out = Data()
            out.reserveCapacity(prefix.count + suffix.count + 64)
            out.append(prefix)
            out.append(contentsOf: #","uptime_human":"#.utf8)
            out.append(SimJSON.string(human))
            out.append(contentsOf: (#","uptime_seconds":"# + String(uptimeSeconds)).utf8)
            out.append(suffix)
            return out
        }
    }

    /// A JSON object (nil when `data` is not one).
    static func object(_ data: Data) -> [String: Any]? {
        guard !data.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Whether a body is empty or only whitespace.
    static func isBlank(_ data: Data) -> Bool {
        data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// `value` or JSON `null`.
    static func orNull(_ value: Any?) -> Any { value ?? NSNull() }

    /// A string→string map, or nil when `value` is not one.
    static func stringMap(_ value: Any?) -> [String: String]? {
        guard let object = value as? [String: Any] else { return nil }
        var out: [String: String] = [:]
        for (k, v) in object {
            guard let s = v as? String else { return nil }
            out[k] = s
        }
        return out
    }

    /// An array of strings, or nil when `value` is not one.
    static func strings(_ value: Any?) -> [String]? {
        guard let array = value as? [Any] else { return nil }
        var out: [String] = []
        for v in array {
            guard let s = v as? String else { return nil }
            out.append(s)
        }
        return out
    }
}

/// A request body read the way serde reads the host's request types: required keys must be
/// there with the right type, keys with a default may be missing (or `null` for optional ones).
struct SimRequest {
    let object: [String: Any]

    init?(_ data: Data) {
        guard let object = SimJSON.object(data) else { return nil }
        self.object = object
    }

    private func value(_ key: String) -> Any? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        return v
    }

    /// A required string (nil: missing or not a string, the request does not decode).
    func required(_ key: String) -> String? { value(key) as? String }

    /// A string with a default; nil when present with another type.
    func string(_ key: String, default fallback: String = "") -> String? {
        guard let v = value(key) else { return fallback }
        return v as? String
    }

    func strings(_ key: String) -> [String]? {
        guard let v = value(key) else { return [] }
        return SimJSON.strings(v)
    }

    /// An optional string map: `.some(nil)` when absent, nil when present and not a map.
    func optionalMap(_ key: String) -> [String: String]?? {
        guard let v = value(key) else { return .some(nil) }
        return SimJSON.stringMap(v).map { .some($0) }
    }

    func requiredMap(_ key: String) -> [String: String]? { SimJSON.stringMap(value(key)) }

    /// An unsigned number with a default; nil when present and not a non-negative integer.
    func unsigned(_ key: String, default fallback: UInt64 = 0) -> UInt64? {
        guard let v = value(key) else { return fallback }
        guard let n = v as? NSNumber, !Self.isBoolean(n) else { return nil }
        let d = n.doubleValue
        guard d >= 0, d.rounded() == d, d <= Double(UInt64.max) else { return nil }
        return n.uint64Value
    }

    func bool(_ key: String, default fallback: Bool = false) -> Bool? {
        guard let v = value(key) else { return fallback }
        guard let n = v as? NSNumber, Self.isBoolean(n) else { return nil }
        return n.boolValue
    }

    /// JSON `true`/`false` come back as a boolean `NSNumber` (type code `c`).
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }
}
