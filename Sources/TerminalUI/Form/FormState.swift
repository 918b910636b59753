/// A form overlay as a value: fields, focus, per-field validation messages, a form-level
/// message (e.g. the host's refusal) and a busy note while a request is in flight. Keys go in
/// through `handle`; drawing is `FormView`. Nothing is lost on a refusal: the caller sets the
/// message and the user edits and submits again.
///
/// Keys: tab / ↓ next field, shift-tab / ↑ previous, enter submits, esc cancels; in text
/// fields typing edits (backspace, ctrl-u clears, ctrl-w deletes a word), → or ctrl-n completes
/// from the suggestions; in choice fields ← / → / space change the choice and a letter jumps to
/// the first option starting with it.
public struct FormState: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case none
        case submit
        case cancel
    }

    public var title: String
    public var fields: [FormField]
    public var focus: Int
    /// A message over the whole form: the host's refusal, a timeout …
    public var message: String?
    public var messageIsError: Bool
    /// Set while the request is in flight ("sending …"); only esc works then.
    public var busy: String?
    /// Lines shown above the fields (what the form acts on, a diff …).
    public var notes: [String]

    public init(title: String, fields: [FormField], focus: Int = 0, notes: [String] = []) {
        self.title = title
        self.fields = fields
        self.focus = fields.indices.contains(focus) ? focus : 0
        self.message = nil
        self.messageIsError = false
        self.busy = nil
        self.notes = notes
    }

    /// The value of the field with this ID ("" when there is none).
    public subscript(id: String) -> String {
        fields.first { $0.id == id }?.value ?? ""
    }

    public func field(_ id: String) -> FormField? { fields.first { $0.id == id } }

    public var hasErrors: Bool { fields.contains { $0.error != nil } }

    /// Sets validation messages by field ID (clearing the others) and focuses the first bad field.
    public mutating func setErrors(_ errors: [String: String]) {
        for i in fields.indices { fields[i].error = errors[fields[i].id] }
        if let first = fields.firstIndex(where: { $0.error != nil }) { focus = first }
    }

    /// Shows a message over the form (and ends the busy state).
    public mutating func show(_ message: String?, isError: Bool) {
        self.message = message
        messageIsError = isError
        busy = nil
    }

    public mutating func handle(_ key: Key) -> Outcome {
        if key == .escape || key == .ctrl("c") { return .cancel }
        if busy != nil { return .none }
        switch key {
        case .enter: return .submit
        case .tab, .down: moveFocus(1); return .none
        case .backTab, .up: moveFocus(-1); return .none
        default: break
        }
        guard fields.indices.contains(focus) else { return .none }
        switch fields[focus].kind {
        case .text: editText(key)
        case .choice(let options): choose(key, options: options)
        }
        return .none
    }

    /// Pasted text goes into the focused text field (line breaks dropped).
    public mutating func paste(_ text: String) {
        guard busy == nil, fields.indices.contains(focus), case .text = fields[focus].kind else { return }
        fields[focus].text += text.filter { !$0.isNewline }
        fields[focus].error = nil
    }

    private mutating func moveFocus(_ by: Int) {
        guard !fields.isEmpty else { return }
        focus = (focus + by + fields.count) % fields.count
    }

    private mutating func editText(_ key: Key) {
        var field = fields[focus]
        switch key {
        case .backspace:
            if !field.text.isEmpty { field.text.removeLast() }
        case .ctrl("u"):
            field.text = ""
        case .ctrl("w"):
            while field.text.last == " " { field.text.removeLast() }
            while let last = field.text.last, last != " ", last != "," { field.text.removeLast() }
        case .right, .ctrl("n"):
            if let first = field.matchingSuggestions.first { field.complete(with: first) }
        default:
            guard let c = key.text else { return }
            field.text.append(c)
        }
        field.error = nil
        fields[focus] = field
    }

    private mutating func choose(_ key: Key, options: [String]) {
        guard !options.isEmpty else { return }
        var selected = fields[focus].selected
        switch key {
        case .left: selected = (selected - 1 + options.count) % options.count
        case .right, .space: selected = (selected + 1) % options.count
        default:
            guard let c = key.text?.lowercased() else { return }
            let start = selected + 1
            let order = Array(options.indices[start...]) + Array(options.indices[..<start])
            if let hit = order.first(where: { options[$0].lowercased().hasPrefix(c) }) { selected = hit }
        }
        fields[focus].selected = selected
        fields[focus].error = nil
    }
}
