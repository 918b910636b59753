/// One field of a form: free text (with optional completion suggestions) or a choice from a
/// list. Pure state.
public struct FormField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text
        /// One of these options; `selected` indexes it.
        case choice([String])
    }

    /// Identifies the field to whoever reads the form.
    public var id: String
    public var label: String
    public var kind: Kind
    /// The text (text fields).
    public var text: String
    /// The chosen option (choice fields).
    public var selected: Int
    /// Shown dimmed when the text is empty.
    public var placeholder: String
    /// A short help line under the field.
    public var help: String
    /// Candidates for completion (text fields); for a comma-separated list the last item is
    /// completed.
    public var suggestions: [String]
    /// A validation message for this field (cleared when the field is edited).
    public var error: String?

    public init(id: String, label: String, kind: Kind = .text, text: String = "", selected: Int = 0, placeholder: String = "",
                help: String = "", suggestions: [String] = []) {
        self.id = id
        self.label = label
        self.kind = kind
        self.text = text
        self.selected = selected
        self.placeholder = placeholder
        self.help = help
        self.suggestions = suggestions
    }

    /// A choice field.
    public static func choice(id: String, label: String, options: [String], selected: Int = 0, help: String = "") -> FormField {
        FormField(id: id, label: label, kind: .choice(options), selected: selected, help: help)
    }

    /// The field's value: the text, or the chosen option.
    public var value: String {
        switch kind {
        case .text: return text
        case .choice(let options): return options.indices.contains(selected) ? options[selected] : ""
        }
    }

    /// The comma-separated items of a list field, trimmed, empties dropped.
    public var items: [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Suggestions that complete the last comma-separated item of the text.
    public var matchingSuggestions: [String] {
        guard case .text = kind, !suggestions.isEmpty else { return [] }
        let token = currentToken.lowercased()
        return suggestions.filter { $0.lowercased().hasPrefix(token) && $0.lowercased() != token }
    }

    var currentToken: String {
        let last = text.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        return last.trimmingCharacters(in: .whitespaces)
    }

    /// Replaces the last item with `completion`.
    mutating func complete(with completion: String) {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if parts.isEmpty { parts = [""] }
        parts[parts.count - 1] = (parts.count > 1 ? " " : "") + completion
        text = parts.joined(separator: ",")
    }
}
