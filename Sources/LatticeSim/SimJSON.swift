import Foundation

/// The simulator's JSON, written from the protocol reference as plain dictionaries and arrays
/// (`[String: Any]`, `[Any]`, strings, numbers, booleans, `NSNull`), never through the client's
/// Codable wire types: a wrong key in either side then shows up in the tests instead of being
/// shared by both.
enum SimJSON {
    /// Encodes a JSON object or array (keys sorted, `/` not escaped, as serde writes it).
    static func encode(_ value: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// A request body as a JSON object (nil when it is not one).
    static func object(_ data: Data) -> [String: Any]? {
        guard !data.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
    }

    /// Whether a body is empty or only whitespace.
    static func isBlank(_ data: Data) -> Bool {
        data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// `value` or JSON `null`.
    static func orNull(_ value: Any?) -> Any { value ?? NSNull() }
}
