import Foundation

/// A pane's `/` filter: a case-insensitive regular expression over a row's text; a leading `!`
/// keeps the rows that do NOT match. An invalid expression falls back to plain text matching.
/// `column:glob` (`type:provider_*`, `host:*prod*`) matches one column's whole text against a
/// glob (`*` any run, `?` one character) when the pane has a column of that name (`type` also
/// names the Events pane's KIND); otherwise the text is a plain expression.
public struct RowFilter: Sendable, Equatable {
    public let text: String
    public let inverted: Bool
    public let pattern: String
    /// Nil when the text is not a valid regular expression (then matching is by substring).
    private let regex: NSRegularExpressionBox?
    /// `column:glob`: the column's name (lowercased) and the glob as an anchored expression.
    private let column: (name: String, glob: NSRegularExpressionBox)?
    /// A pattern of ASCII letters, digits and punctuation no expression treats specially,
    /// lowercased: what the expression matches is then that text, case-insensitively, found
    /// byte by byte (filtering 100,000 rows as the user types stays within a frame or two).
    private let literal: [UInt8]?

    /// Other names a column answers to in `column:glob`.
    static let columnAliases = ["type": "kind"]

    public init(_ text: String) {
        self.text = text
        inverted = text.hasPrefix("!")
        pattern = inverted ? String(text.dropFirst()) : text
        regex = (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])).map(NSRegularExpressionBox.init)
        column = Self.columnGlob(pattern)
        literal = Self.literal(pattern)
    }

    static func literal(_ pattern: String) -> [UInt8]? {
        let special = Set("\\^$.|?*+()[]{}".utf8)
        guard !pattern.isEmpty, pattern.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && !special.contains($0) }) else { return nil }
        return pattern.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }

    public var isEmpty: Bool { pattern.isEmpty }
    public var isValidRegex: Bool { regex != nil }

    /// `name:glob` split, the glob made an anchored case-insensitive expression.
    static func columnGlob(_ pattern: String) -> (name: String, glob: NSRegularExpressionBox)? {
        guard let colon = pattern.firstIndex(of: ":") else { return nil }
        let name = pattern[..<colon].lowercased(), glob = pattern[pattern.index(after: colon)...]
        guard !name.isEmpty, !glob.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" }) else { return nil }
        var expression = "^"
        for c in glob {
            switch c {
            case "*": expression += ".*"
            case "?": expression += "."
            default: expression += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        guard let regex = try? NSRegularExpression(pattern: expression + "$", options: [.caseInsensitive]) else { return nil }
        return (String(name), NSRegularExpressionBox(value: regex))
    }

    /// Whether the row is kept (`matches(_:columns:)` of its cells): plain text is searched
    /// for in the row's `searchText` at once.
    func matches(_ row: PaneRow, columns: [String]) -> Bool {
        if pattern.isEmpty { return true }
        guard let literal, column == nil else { return matches(row.cells, columns: columns) }
        let found = row.withSearchText { text in literal.withUnsafeBytes { Self.occurs($0, in: text) } }
        return found != inverted
    }

    /// Whether each of `rows` is kept (`keptByFilters`, or `matches(_:columns:)`), read where
    /// `rows` holds them: plain text is searched for in each row's text in place, without a
    /// reference count per row, the rows ahead asked for while one is searched (narrowing a
    /// filter of 100,000 rows as the user types is bound by memory).
    func keeps(_ rows: UnsafeBufferPointer<PaneRow>, columns: [String]) -> [Bool] {
        guard !pattern.isEmpty else { return Array(repeating: true, count: rows.count) }
        guard let literal, column == nil else { return rows.map { $0.keptByFilters || matches($0, columns: columns) } }
        return literal.withUnsafeBytes { literal in
            rows.indices.map { i in
                PaneRow.prefetch(rows, reading: i)
                return PaneRow.withSearchText(of: rows, at: i) { kept, text in kept || Self.occurs(literal, in: text) != inverted }
            }
        }
    }

    /// Whether `pattern` occurs in `text`, byte for byte: `memchr` to each place its first
    /// byte occurs, then `memcmp`.
    static func occurs(_ pattern: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> Bool {
        guard !pattern.isEmpty else { return true }
        guard pattern.count <= text.count, let p = pattern.baseAddress, let t = text.baseAddress else { return false }
        let first = Int32(pattern[0]), rest = pattern.count - 1
        // Places where the pattern can start: 0 ..< end.
        var start = 0
        let end = text.count - rest
        while start < end, let hit = memchr(t + start, first, end - start) {
            let i = t.distance(to: UnsafeRawPointer(hit))
            if rest == 0 || memcmp(t + i + 1, p + 1, rest) == 0 { return true }
            start = i + 1
        }
        return false
    }

    /// Whether every row this filter keeps is kept by `before` too, so it can be applied to the
    /// rows `before` kept instead of to all (typing on: `ap` after `a`, `!a` after `!ap`). Only
    /// for plain text, which matches as a substring; nil (no filter) keeps every row.
    func narrows(_ before: RowFilter?) -> Bool {
        guard let before, !before.isEmpty else { return true }
        guard inverted == before.inverted, column == nil, before.column == nil, let literal, let old = before.literal else { return false }
        // Text containing the longer literal contains the shorter one.
        let (longer, shorter) = inverted ? (old, literal) : (literal, old)
        return shorter.withUnsafeBytes { s in longer.withUnsafeBytes { Self.occurs(s, in: $0) } }
    }

    /// Whether the row is kept. `columns` are the pane's column titles, for `column:glob`.
    public func matches(_ fields: [String], columns: [String] = []) -> Bool {
        if pattern.isEmpty { return true }
        if let column {
            let wanted = Self.columnAliases[column.name] ?? column.name
            if let index = columns.firstIndex(where: { $0.lowercased() == column.name || $0.lowercased() == wanted }) {
                let cell = index < fields.count ? fields[index] : ""
                let found = column.glob.value.firstMatch(in: cell, range: NSRange(cell.startIndex..., in: cell)) != nil
                return found != inverted
            }
        }
        if let literal { return Self.contains(fields, literal) != inverted }
        let line = fields.joined(separator: " ")
        let found: Bool
        if let regex {
            found = regex.value.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
        } else {
            found = line.range(of: pattern, options: .caseInsensitive) != nil
        }
        return found != inverted
    }

    /// Whether the fields joined by spaces contain `literal` (lowercase ASCII), ASCII letters
    /// compared without case. Without a space in it, a match lies within one field: each field
    /// is searched where it is stored, nothing is copied.
    static func contains(_ fields: [String], _ literal: [UInt8]) -> Bool {
        guard !literal.isEmpty else { return true }
        if !literal.contains(0x20) {
            return literal.withUnsafeBufferPointer { pattern in
                fields.contains { field in
                    field.utf8.withContiguousStorageIfAvailable { find(pattern, in: $0) }
                        ?? Array(field.utf8).withUnsafeBufferPointer { find(pattern, in: $0) }
                }
            }
        }
        var line: [UInt8] = []
        line.reserveCapacity(128)
        for (i, field) in fields.enumerated() {
            if i > 0 { line.append(0x20) }
            line += field.utf8
        }
        return line.withUnsafeBufferPointer { l in literal.withUnsafeBufferPointer { find($0, in: l) } }
    }

    /// Whether `text` contains `pattern` (lowercase ASCII), ASCII letters of `text` lowercased.
    private static func find(_ pattern: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard pattern.count <= text.count else { return false }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        let first = pattern[0]
        var i = 0
        let last = text.count - pattern.count
        while i <= last {
            if lower(text[i]) == first {
                var j = 1
                while j < pattern.count && lower(text[i + j]) == pattern[j] { j += 1 }
                if j == pattern.count { return true }
            }
            i += 1
        }
        return false
    }

    public static func == (a: RowFilter, b: RowFilter) -> Bool { a.text == b.text }
}

/// NSRegularExpression is immutable and thread-safe; this makes that known to the compiler.
struct NSRegularExpressionBox: @unchecked Sendable {
    let value: NSRegularExpression
}
