/// The value a column sorts by, typed: a duration, count or time sorts as a number (`59m` before
/// `1h2m`), text as text (case-insensitive, digits as numbers). Numbers come before text, so
/// rows without a value (`-`) go last.
public enum SortKey: Sendable, Hashable, Comparable {
    case number(Double)
    case text(String)

    public static func < (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.text(let x), .text(let y)): return x.compare(y, options: [.numeric, .caseInsensitive]) == .orderedAscending
        case (.number, .text): return true
        case (.text, .number): return false
        }
    }

    public static func == (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.text(let x), .text(let y)): return x.compare(y, options: [.numeric, .caseInsensitive]) == .orderedSame
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .number(let x): hasher.combine(x)
        case .text(let x): hasher.combine(x.lowercased())
        }
    }

    /// A count or age, `nil` (shown as `-`) sorting after every value.
    public static func number<T: BinaryInteger>(_ value: T?) -> SortKey { value.map { .number(Double($0)) } ?? .text("") }
    public static func number(_ value: Double?) -> SortKey { value.map { .number($0) } ?? .text("") }
}
