import Foundation

/// `E` on a named config: the YAML handed to `$EDITOR`, and what to do with what comes back.
/// An invalid file is handed back with the problem (naming its line) in the header and the
/// user's text below it, kubectl-edit style; leaving it unchanged stops there and keeps the text
/// for the next `E`. Pure: the caller runs the editor.
public struct ConfigEditorSession: Sendable, Equatable {
    public let name: String
    /// The values when editing began (nil: a new config).
    public let original: [String: String]?
    /// The text handed to the editor last.
    public private(set) var presented: String
    /// The latest problem with the user's text (nil: none yet).
    public private(set) var problem: ConfigYAML.Problem?

    public init(name: String, values: [String: String]?) {
        self.name = name
        original = values
        presented = ConfigYAML.document(name: name, values: values ?? [:])
    }

    /// Resumes with text the user wrote before (kept after an invalid attempt).
    public init(name: String, values: [String: String]?, resuming text: String, problem: ConfigYAML.Problem) {
        self.name = name
        original = values
        self.problem = problem
        presented = ConfigYAML.header(name: name, problem: problem.description) + Self.stripHeader(text, name: name).body
    }

    public enum Next: Sendable, Equatable {
        /// Valid and different: send these values.
        case apply([String: String])
        /// Hand this text to the editor again (it holds the problem and the user's text).
        case reopen(String)
        /// The user left an invalid text unchanged: stop, keep `text` for later.
        case keep(text: String, problem: ConfigYAML.Problem)
        /// Emptied, or unchanged from the start, or the same values as before: nothing to do.
        case cancelled(String)
    }

    /// What to do with the text the editor saved.
    public mutating func received(_ text: String) -> Next {
        if text == presented {
            if let problem { return .keep(text: text, problem: problem) }
            return .cancelled("config \(name) unchanged")
        }
        switch ConfigYAML.parse(text) {
        case .success(.empty):
            return .cancelled("config \(name): the file was emptied, nothing applied")
        case .success(.values(let values)):
            if values == original { return .cancelled("config \(name) unchanged") }
            return .apply(values)
        case .failure(var p):
            // The file handed back has a longer header: name the line as it will be there.
            let (body, removed) = Self.stripHeader(text, name: name)
            if let line = p.line, line > removed { p.line = line - removed + Self.problemHeaderLines }
            problem = p
            presented = ConfigYAML.header(name: name, problem: p.description) + body
            return .reopen(presented)
        }
    }

    /// The user's text without the header lines we wrote (any variant of them), and how many
    /// lines went.
    static func stripHeader(_ text: String, name: String) -> (body: String, removed: Int) {
        let ours = Set((ConfigYAML.header(name: name) + ConfigYAML.header(name: name, problem: "")).split(separator: "\n").map(String.init))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var removed = 0
        while let first = lines.first, ours.contains(first) || first.hasPrefix("# NOT APPLIED — ") {
            lines.removeFirst()
            removed += 1
        }
        return (lines.joined(separator: "\n"), removed)
    }

    /// Lines of the header that names a problem.
    static let problemHeaderLines = ConfigYAML.header(name: "", problem: "x").split(separator: "\n").count
}
