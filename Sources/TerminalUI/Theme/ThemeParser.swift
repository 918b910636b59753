import Yams

/// Reads a theme from YAML:
///
/// ```yaml
/// name: default
/// styles:
///   header:      { fg: cyan, bold: true }
///   selectedRow: { fg: black, bg: "#5fafff" }
/// ```
///
/// Colours are `default`, ANSI names (`red`, `bright-red`), `"#rrggbb"` (quoted: `#` starts a YAML
/// comment), or palette indices 0–255; attributes are `bold`, `dim`, `reverse`, `underline`, `italic`.
/// Every error names the source and the line of the offending key or value.
public enum ThemeParser {
    /// Deepest flow nesting (`[` / `{`) and indentation accepted. The YAML composer recurses once
    /// per level, so without a bound a hostile file could exhaust the stack; themes need 3 levels.
    static let maxFlowDepth = 64
    static let maxIndentation = 256

    public static func parse(yaml: String, source: String, defaultName: String? = nil) throws(ThemeError) -> Theme {
        if let error = nestingError(yaml, source: source) { throw error }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, source: source)
        } catch {
            throw ThemeError(kind: .syntax, file: source, message: "\(error)")
        }
        guard let root else {
            throw ThemeError(kind: .invalid, file: source, line: 1, message: "the theme file is empty")
        }
        guard let mapping = root.mapping else {
            throw invalid(source, root, "a theme must be a mapping with 'name' and 'styles'")
        }

        var name = defaultName
        var styles: [ThemeRole: Style] = [:]
        var sawStyles = false
        for (key, value) in try entries(of: mapping, source: source) {
            switch key.string {
            case "name":
                guard let text = value.scalar?.string, !text.isEmpty else {
                    throw invalid(source, value, "'name' must be a string")
                }
                name = text
            case "description", "author":
                guard value.scalar != nil else { throw invalid(source, value, "'\(key.string ?? "")' must be a string") }
            case "styles":
                guard let styleMapping = value.mapping else {
                    throw invalid(source, value, "'styles' must be a mapping from role to style")
                }
                sawStyles = true
                for (roleKey, styleNode) in try entries(of: styleMapping, source: source) {
                    let roleName = roleKey.string ?? ""
                    guard let role = ThemeRole(rawValue: roleName) else {
                        throw invalid(source, roleKey, "unknown role '\(roleName)' (known roles: "
                            + ThemeRole.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                    }
                    styles[role] = try style(from: styleNode, role: roleName, source: source)
                }
            default:
                throw invalid(source, key, "unknown key '\(key.string ?? "")' (expected name, description, styles)")
            }
        }
        guard sawStyles else { throw invalid(source, root, "the theme has no 'styles'") }
        return Theme(name: name ?? "unnamed", styles: styles)
    }

    /// An error at the first line that nests deeper than the limits, or nil.
    static func nestingError(_ yaml: String, source: String) -> ThemeError? {
        var depth = 0
        var line = 1
        var indentation = 0
        var atLineStart = true
        for byte in yaml.utf8 {
            switch byte {
            case 0x0A:
                line += 1
                indentation = 0
                atLineStart = true
                continue
            case 0x20 where atLineStart, 0x09 where atLineStart:
                indentation += 1
                if indentation > maxIndentation {
                    return ThemeError(kind: .invalid, file: source, line: line, column: indentation,
                                      message: "indented more than \(maxIndentation) columns: nested too deeply for a theme")
                }
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxFlowDepth {
                    return ThemeError(kind: .invalid, file: source, line: line,
                                      message: "more than \(maxFlowDepth) nested brackets: nested too deeply for a theme")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
            atLineStart = false
        }
        return nil
    }

    private static func style(from node: Node, role: String, source: String) throws(ThemeError) -> Style {
        guard let mapping = node.mapping else {
            throw invalid(source, node, "the style of '\(role)' must be a mapping such as { fg: red, bold: true }")
        }
        var style = Style()
        for (key, value) in try entries(of: mapping, source: source) {
            let field = key.string ?? ""
            switch field {
            case "fg", "foreground":
                style.foreground = try color(from: value, field: field, role: role, source: source)
            case "bg", "background":
                style.background = try color(from: value, field: field, role: role, source: source)
            default:
                guard let attribute = TextAttributes.named.first(where: { $0.name == field })?.attribute else {
                    throw invalid(source, key, "unknown style key '\(field)' in '\(role)' (expected fg, bg, "
                        + TextAttributes.named.map(\.name).joined(separator: ", ") + ")")
                }
                guard let flag = bool(value) else {
                    throw invalid(source, value, "'\(field)' in '\(role)' must be true or false")
                }
                if flag { style.attributes.insert(attribute) } else { style.attributes.remove(attribute) }
            }
        }
        return style
    }

    private static func color(from node: Node, field: String, role: String, source: String) throws(ThemeError) -> Color {
        guard let scalar = node.scalar else {
            throw invalid(source, node, "'\(field)' in '\(role)' must be a colour")
        }
        let text = scalar.string
        if text.isEmpty || text == "~" || text == "null" {
            throw invalid(source, node, "'\(field)' in '\(role)' has no colour (quote hex colours: \"#rrggbb\")")
        }
        guard let color = Color(parsing: text) else {
            throw invalid(source, node, "unknown colour '\(text)' for '\(field)' in '\(role)' "
                + "(use default, an ANSI name like red or bright-red, \"#rrggbb\", or 0-255)")
        }
        return color
    }

    private static func bool(_ node: Node) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    /// The mapping's entries with string keys, rejecting duplicates.
    private static func entries(of mapping: Node.Mapping, source: String) throws(ThemeError) -> [(Node, Node)] {
        var seen: Set<String> = []
        var result: [(Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw invalid(source, key, "keys must be plain strings")
            }
            guard seen.insert(name).inserted else {
                throw invalid(source, key, "duplicate key '\(name)'")
            }
            result.append((key, value))
        }
        return result
    }

    private static func invalid(_ source: String, _ node: Node, _ message: String) -> ThemeError {
        ThemeError(kind: .invalid, file: source, line: node.mark?.line, column: node.mark?.column, message: message)
    }

    private static func syntaxError(_ error: YamlError, source: String) -> ThemeError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return ThemeError(kind: .syntax, file: source, line: mark.line, column: mark.column,
                              message: "invalid YAML: \(detail)\(problem)")
        case .reader(let problem, _, _, _):
            return ThemeError(kind: .syntax, file: source, message: "invalid YAML: \(problem)")
        default:
            return ThemeError(kind: .syntax, file: source, message: "invalid YAML: \(error)")
        }
    }
}
