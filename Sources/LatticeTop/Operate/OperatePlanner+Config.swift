import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI

/// The Config pane's operations: `a` a new config and `e` its entries in a form (one key and
/// one value field per entry, a blank pair at the end to add one; secret-looking values are not
/// shown and stay as they are unless typed over), `E` the whole config as YAML in `$EDITOR`,
/// `ctrl-d` delete after a confirm that names the links using it. Every put is confirmed with
/// old against new (secret values masked).
extension OperatePlanner {
    static func beginConfig(_ request: OperateRequest, target: OperateTarget, state: LatticeState, context: OperateContext) -> OperateStep {
        if request == .addConfig { return .form(configForm(ConfigDraft(), state: state)) }
        guard case .config(let name) = target, let record = state.configs[name], record.exists else { return .refuse("select a config first") }
        if record.isSecretReference { return .refuse("\(name) is a secret reference: manage it with wash secrets") }
        switch request {
        case .editConfig, .editConfigInEditor:
            guard let values = record.values else { return .refuse("the values of \(name) are not fetched yet; try again in a moment") }
            if request == .editConfig { return .form(configForm(ConfigDraft(editing: name, values: values), state: state)) }
            if let kept = context.keptConfigTexts[name] {
                return .editor(ConfigEditorSession(name: name, values: values, resuming: kept.text, problem: kept.problem))
            }
            return .editor(ConfigEditorSession(name: name, values: values))
        case .deleteConfig:
            var lines = ["Delete config \(name)" + (record.values.map { " (\($0.count) key\($0.count == 1 ? "" : "s"))" } ?? "")]
            let users = linksUsing(name, state)
            if !users.isEmpty {
                lines += ["", "⚠ links that use it (a host refuses to put them again until it exists):"]
                lines += users.map { "    " + LinkChange.describe($0) }
            }
            let action = OperateAction.deleteConfig(name: name)
            return .confirm(ConfirmState(title: "Delete config?", lines: lines, actions: [action], wadm: WadmGuard.check(action, in: state)))
        default:
            return .refuse("not available here")
        }
    }

    static func linksUsing(_ name: String, _ state: LatticeState) -> [Link] {
        state.links.values.filter(\.isPresent).map(\.link).filter { $0.sourceConfig.contains(name) || $0.targetConfig.contains(name) }
            .sorted { LinkChange.describe($0) < LinkChange.describe($1) }
    }

    static let keptSecretPlaceholder = "•••••• (kept; type to replace)"

    static func configForm(_ draft: ConfigDraft, state: LatticeState) -> OperateFormState {
        var fields: [FormField] = []
        if !draft.isEdit {
            let names = Set(state.configs.values.filter(\.exists).map(\.name))
            fields.append(FormField(id: "name", label: "name", text: draft.name, placeholder: "e.g. redis-url",
                                    help: names.isEmpty ? "no '.', '*', '>' or spaces" : "a new name (\(names.count) exist)"))
        }
        for (i, e) in draft.entries.enumerated() {
            let secret = draft.isEdit && draft.original?[e.key] != nil && SecretMask.looksSecret(e.key)
            fields += pair(i, key: e.key, value: secret ? "" : e.value, secret: secret)
        }
        fields += pair(draft.entries.count, key: "", value: "", secret: false)
        let notes = draft.isEdit
            ? ["config \(draft.name): clear a key to remove its entry; fill the last pair to add one", "E edits it as YAML in $EDITOR"]
            : ["a new named config: fill the pairs (a new pair appears as you type)"]
        let form = FormState(title: draft.isEdit ? "Edit config \(draft.name)" : "New config", fields: fields, notes: notes)
        return OperateFormState(purpose: .config(name: draft.isEdit ? draft.name : nil, original: draft.original), form: form)
    }

    static func pair(_ i: Int, key: String, value: String, secret: Bool) -> [FormField] {
        [FormField(id: "key.\(i)", label: "key \(i + 1)", text: key, placeholder: "key"),
         FormField(id: "value.\(i)", label: "value \(i + 1)", text: value, placeholder: secret ? keptSecretPlaceholder : "value",
                   help: secret ? "secret-looking: left empty it keeps its value" : "")]
    }

    /// The draft a config form holds: entries in order; an empty value under an unchanged
    /// secret-looking key keeps the old value.
    static func configDraft(_ form: FormState, name: String?, original: [String: String]?) -> ConfigDraft {
        var draft = name.map { ConfigDraft(editing: $0, values: original ?? [:]) } ?? ConfigDraft(name: form["name"].trimmed)
        draft.entries = []
        var i = 0
        while let keyField = form.field("key.\(i)") {
            let key = keyField.text, value = form["value.\(i)"]
            let kept = value.isEmpty && form.field("value.\(i)")?.placeholder == keptSecretPlaceholder ? original?[key.trimmed] : nil
            draft.entries.append(ConfigDraft.Entry(key, kept ?? value))
            i += 1
        }
        return draft
    }

    static func submitConfig(_ f: OperateFormState, name: String?, original: [String: String]?, state: LatticeState) -> OperateStep {
        let draft = configDraft(f.form, name: name, original: original)
        let problems = draft.validate(existingNames: Set(state.configs.values.filter(\.exists).map(\.name)))
        if !problems.isEmpty {
            var errors: [String: String] = [:]
            for p in problems {
                let id = p.entry.map { "key.\($0)" } ?? (name == nil ? "name" : "key.0")
                errors[id] = errors[id].map { "\($0); \(p.message)" } ?? p.message
            }
            return .form(with(f, errors: errors))
        }
        return .confirm(configConfirm(name: draft.name.trimmed, original: original, values: draft.values, state: state, form: f))
    }

    /// The confirm for a config put: old against new, secrets masked.
    static func configConfirm(name: String, original: [String: String]?, values: [String: String], state: LatticeState,
                              form: OperateFormState?) -> ConfirmState {
        var lines = [original == nil ? "Create config \(name)" : "Change config \(name)", ""]
        lines += ConfigDraft.diff(old: original, new: values).map(\.text)
        let users = linksUsing(name, state)
        if !users.isEmpty { lines += ["", "used by:"] + users.map { "    " + LinkChange.describe($0) } }
        let action = OperateAction.putConfig(name: name, values: values)
        return ConfirmState(title: original == nil ? "Create config?" : "Change config?", lines: lines, actions: [action],
                            wadm: WadmGuard.check(action, in: state), form: form)
    }

    /// A blank key/value pair stays at the end of a config form.
    static func refreshConfigForm(_ f: OperateFormState) -> OperateFormState {
        var i = 0
        while f.form.field("key.\(i + 1)") != nil { i += 1 }
        guard !f.form["key.\(i)"].isEmpty || !f.form["value.\(i)"].isEmpty else { return f }
        var out = f
        out.form.fields += pair(i + 1, key: "", value: "", secret: false)
        return out
    }
}
