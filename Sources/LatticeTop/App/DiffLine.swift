import Foundation

/// One line of an old-against-new comparison shown before a change is sent.
public struct DiffLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case same, removed, added }
    public var kind: Kind
    public var field: String
    public var value: String

    public init(_ kind: Kind, _ field: String, _ value: String) {
        self.kind = kind
        self.field = field
        self.value = value
    }

    /// `  field  value`, `- field  value`, `+ field  value`.
    public var text: String {
        let mark = kind == .same ? " " : (kind == .removed ? "-" : "+")
        return "\(mark) \(field.padding(toLength: max(15, field.count + 1), withPad: " ", startingAt: 0))\(value)"
    }

    /// Field-by-field lines for two optional lists of (field, value) pairs with the same fields
    /// in the same order (nil: absent before or after): unchanged fields once, changed ones as a
    /// removed and an added line.
    public static func compare(_ fields: [String], old: [String]?, new: [String]?) -> [DiffLine] {
        var lines: [DiffLine] = []
        for (i, field) in fields.enumerated() {
            let o = old?[i], n = new?[i]
            if o == n, let o { lines.append(DiffLine(.same, field, o)); continue }
            if let o { lines.append(DiffLine(.removed, field, o)) }
            if let n { lines.append(DiffLine(.added, field, n)) }
        }
        return lines
    }
}
