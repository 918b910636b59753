import Foundation

/// The JSON settings used for everything this module puts on the wire: compact, sorted keys
/// (deterministic bytes) and unescaped slashes (image references stay readable, like serde_json).
public enum WireJSON {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// Decodes JSON, first rejecting bytes that are not valid UTF-8 anywhere in the message
    /// (Foundation's decoder only checks the strings it actually reads).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let offset = firstInvalidUTF8Offset(data) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: [], debugDescription: "not valid UTF-8 (byte offset \(offset))"))
        }
        return try JSONDecoder().decode(type, from: data)
    }

    /// Offset of the first byte that breaks UTF-8, or `nil` when all of `data` is valid UTF-8.
    public static func firstInvalidUTF8Offset(_ data: Data) -> Int? {
        if data.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) != nil }) == true {
            return nil
        }
        var offset = 0
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// `true` when the body is empty or only whitespace: the host treats such request bodies as
    /// "no payload".
    public static func isBlank(_ data: Data) -> Bool {
        data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
