/// A theme that could not be loaded: which file, where in it, and why.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case notFound
        case unreadable
        case syntax
        case invalid
    }

    public var kind: Kind
    /// The file path (or a description such as `<embedded default theme>`).
    public var file: String
    /// 1-based; nil when the problem is not at one place (e.g. the file is missing).
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(kind: Kind, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, like a compiler.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}
