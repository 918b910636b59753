import Foundation

/// One-line, human-readable text for a `DecodingError` (key path, what went wrong).
public enum DecodingErrorDescription {
    /// Any error: a `DecodingError` as below, anything else as its description.
    public static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError { return describe(decoding) }
        return String(describing: error)
    }

    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\"\(location(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "expected \(type)\(location(context.codingPath))\(detail(context))"
        case .valueNotFound(let type, let context):
            return "null where \(type) is required\(location(context.codingPath))"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.localizedDescription
            let detail = context.debugDescription.isEmpty ? (underlying ?? "invalid data") : context.debugDescription
            return detail + location(context.codingPath)
        @unknown default:
            return String(describing: error)
        }
    }

    private static func detail(_ context: DecodingError.Context) -> String {
        context.debugDescription.isEmpty ? "" : " (\(context.debugDescription))"
    }

    private static func location(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "" }
        let text = path.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
        return " at \(text)"
    }
}
