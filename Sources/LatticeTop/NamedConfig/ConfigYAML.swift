import Foundation
import Yams

/// A named config as the YAML document `E` hands to `$EDITOR`, and back. Keys and values are
/// strings; a value written as a number or `true` keeps its text. Anything else (a nested map,
/// a list, a missing value, a repeated key, broken syntax) is an error naming its line.
public enum ConfigYAML {
    /// The document for `name` with `values` (in full: the user asked to edit them), under a
    /// comment header. `problem` (from a previous attempt) goes into the header too.
    public static func document(name: String, values: [String: String], problem: String? = nil) -> String {
        header(name: name, problem: problem) + body(values)
    }

    /// The header comment; `problem` is repeated there when the user's text is handed back.
    public static func header(name: String, problem: String? = nil) -> String {
        var lines = [
            "# Named config '\(name)': one 'key: value' per line (strings; quote a value to keep it exact).",
            "# Save and quit to apply. Empty the file (or leave it unchanged) to cancel.",
        ]
        if let problem {
            lines += ["#", "# NOT APPLIED — \(problem)", "# Fix it and save again; nothing you wrote is lost."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func body(_ values: [String: String]) -> String {
        values.keys.sorted().map { "\(scalar($0)): \(scalar(values[$0]!))" }.joined(separator: "\n") + (values.isEmpty ? "{}\n" : "\n")
    }

    /// A string as a YAML scalar that reads back as the same string.
    static func scalar(_ s: String) -> String {
        if let dumped = try? Yams.dump(object: s) {
            let text = dumped.hasSuffix("\n...\n") ? String(dumped.dropLast(5)) : dumped
            let line = text.hasSuffix("\n") ? String(text.dropLast()) : text
            if !line.contains("\n"), (try? parseScalar(line)) == s { return line }
        }
        return "\"" + s.unicodeScalars.map { c -> String in
            switch c {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\t": return "\\t"
            case "\r": return "\\r"
            default: return c.value < 0x20 || c.value == 0x7f ? String(format: "\\x%02X", c.value) : String(c)
            }
        }.joined() + "\""
    }

    private static func parseScalar(_ text: String) throws -> String? {
        guard case .mapping(let m)? = try Yams.compose(yaml: "k: \(text)"), let v = m.first?.value, case .scalar(let s) = v else { return nil }
        return s.string
    }

    /// What the user wrote.
    public enum Parsed: Sendable, Equatable {
        case values([String: String])
        /// Nothing but comments and blank lines.
        case empty
    }

    /// Why a document is not a config; `line` is 1-based (nil when the whole text is at fault).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    public static func parse(_ text: String) -> Result<Parsed, Problem> {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(problem(error))
        } catch {
            return .failure(Problem(line: nil, message: "\(error)"))
        }
        guard let node else { return .success(.empty) }
        guard case .mapping(let mapping) = node else {
            return .failure(Problem(line: node.mark?.line, message: "expected 'key: value' lines, found \(kind(of: node))"))
        }
        var values: [String: String] = [:]
        var firstLine: [String: Int] = [:]
        for (k, v) in mapping {
            guard case .scalar(let key) = k else {
                return .failure(Problem(line: k.mark?.line, message: "a key must be plain text, found \(kind(of: k))"))
            }
            let line = key.mark?.line
            if key.string.isEmpty { return .failure(Problem(line: line, message: "a key must not be empty")) }
            if let first = firstLine[key.string] {
                return .failure(Problem(line: line, message: "key '\(key.string)' appears twice (first on line \(first))"))
            }
            guard case .scalar(let value) = v else {
                return .failure(Problem(line: line ?? v.mark?.line,
                                        message: "the value of '\(key.string)' is \(kind(of: v)); config values are strings"))
            }
            if value.style == .plain && ["", "~", "null", "Null", "NULL"].contains(value.string) {
                return .failure(Problem(line: line, message: "'\(key.string)' has no value (write \"\" for an empty one)"))
            }
            values[key.string] = value.string
            firstLine[key.string] = line ?? 0
        }
        return .success(.values(values))
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar: return "a single value"
        case .mapping: return "a nested map"
        case .sequence: return "a list"
        }
    }

    static func problem(_ error: YamlError) -> Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // The construct that is not closed (where it starts) says more than where the end was noticed.
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Problem(line: context?.mark.line ?? mark.line, message: "not valid YAML: \(detail)")
        case .reader(let problem, _, _, _):
            return Problem(line: nil, message: "not readable text: \(problem)")
        default:
            return Problem(line: nil, message: "not valid YAML: \(error)")
        }
    }
}
