import Foundation

/// A pane's `/` filter: a case-insensitive regular expression over a row's text; a leading `!`
/// keeps the rows that do NOT match. An invalid expression falls back to plain text matching.
public struct RowFilter: Sendable, Equatable {
    public let text: String
    public let inverted: Bool
    public let pattern: String
    /// Nil when the text is not a valid regular expression (then matching is by substring).
    private let regex: NSRegularExpressionBox?

    public init(_ text: String) {
        self.text = text
        inverted = text.hasPrefix("!")
        pattern = inverted ? String(text.dropFirst()) : text
        regex = (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])).map(NSRegularExpressionBox.init)
    }

    public var isEmpty: Bool { pattern.isEmpty }
    public var isValidRegex: Bool { regex != nil }

    public func matches(_ fields: [String]) -> Bool {
        if pattern.isEmpty { return true }
        let line = fields.joined(separator: " ")
        let found: Bool
        if let regex {
            found = regex.value.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
        } else {
            found = line.range(of: pattern, options: .caseInsensitive) != nil
        }
        return found != inverted
    }

    public static func == (a: RowFilter, b: RowFilter) -> Bool { a.text == b.text }
}

/// NSRegularExpression is immutable and thread-safe; this makes that known to the compiler.
struct NSRegularExpressionBox: @unchecked Sendable {
    let value: NSRegularExpression
}
