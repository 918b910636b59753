import Foundation

extension KeyedDecodingContainer {
    /// Decodes `key`, or returns `fallback` when the key is absent or `null` (serde `#[serde(default)]`).
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? fallback()
    }

    /// A proto3-JSON 64-bit unsigned integer: a decimal string or a JSON number. `nil` when absent.
    func decodeProtoUInt64(forKey key: Key) throws -> UInt64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) {
            guard let value = UInt64(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: self, debugDescription: "\"\(text)\" is not an unsigned 64-bit integer")
            }
            return value
        }
        return try decode(UInt64.self, forKey: key)
    }
}

extension KeyedEncodingContainer {
    /// Encodes a 64-bit value the proto3-JSON way: a decimal string, left out when zero.
    mutating func encodeProtoUInt64(_ value: UInt64, forKey key: Key) throws {
        if value != 0 { try encode(String(value), forKey: key) }
    }
}
