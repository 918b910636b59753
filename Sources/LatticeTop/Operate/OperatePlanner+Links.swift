import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI

/// The Links pane's operations: `a` add and `e` edit (a form with completion from what the
/// lattice offers, validated, then a confirm showing old against new), `ctrl-d` delete (a
/// confirm naming the link and any other link the delete takes along), `u` undo (a confirm
/// showing the previous definition coming back).
extension OperatePlanner {
    static func beginLink(_ request: OperateRequest, target: OperateTarget, state: LatticeState, context: OperateContext) -> OperateStep {
        let vocabulary = LinkVocabulary(state: state, spiedInstances: context.spiedInstances)
        switch request {
        case .addLink:
            return .form(linkForm(LinkDraft(), vocabulary: vocabulary))
        case .editLink:
            guard case .link(let id) = target, let record = state.links.values.first(where: { $0.id.description == id }) else {
                return .refuse("select a link first")
            }
            if record.isPresent { return .form(linkForm(LinkDraft(editing: record.link), vocabulary: vocabulary)) }
            // A refused put: the same definition as a new draft, with the host's answer, to fix and send again.
            var draft = LinkDraft(editing: record.link)
            draft.original = nil
            draft.hostMessage = record.refusal.map { "this link was refused: \($0.error)" }
            return .form(linkForm(draft, vocabulary: vocabulary))
        case .deleteLink:
            guard case .link(let id) = target, let record = state.links.values.first(where: { $0.id.description == id }) else {
                return .refuse("select a link first")
            }
            guard record.isPresent else { return .refuse("this link does not exist (its put was refused); e to fix and send it again") }
            let link = record.link
            return .confirm(linkConfirm(LinkChangeRequest(change: LinkChange(from: link, to: nil)), state: state, form: nil, warnings: []))
        case .undoLinkChange:
            guard let last = context.linkHistory.last else { return .refuse("no link change to undo") }
            return .confirm(linkConfirm(LinkChangeRequest(change: last.undo, isUndo: true), state: state, form: nil, warnings: []))
        default:
            return .refuse("not available here")
        }
    }

    static func linkForm(_ draft: LinkDraft, vocabulary: LinkVocabulary) -> OperateFormState {
        let fields = LinkDraft.Field.allCases.map { f in
            FormField(id: f.id, label: f.label, text: draft[f], placeholder: f.placeholder, help: f.help,
                      suggestions: vocabulary.pool(for: f, in: draft))
        }
        let notes = draft.original.map { ["editing \(LinkChange.describe($0))"] } ?? ["a new link (source → target over a WIT interface)"]
        var form = FormState(title: draft.isEdit ? "Edit link" : "Add link", fields: fields, notes: notes)
        if let message = draft.hostMessage { form.show(message, isError: true) }
        return OperateFormState(purpose: .link(original: draft.original), form: form)
    }

    /// The form was submitted: field errors back into it, or the confirm with the diff.
    static func submitLink(_ f: OperateFormState, original: Link?, state: LatticeState, context: OperateContext) -> OperateStep {
        var draft = LinkDraft(form: f.form, original: original)
        draft.spreadWITReference()
        var form = f
        for field in [LinkDraft.Field.namespace, .package, .interfaces] {
            if let i = form.form.fields.firstIndex(where: { $0.id == field.id }) { form.form.fields[i].text = draft[field] }
        }
        let problems = draft.validate(against: LinkVocabulary(state: state, spiedInstances: context.spiedInstances))
        let errors = problems.filter(\.isError)
        if !errors.isEmpty {
            var byField: [String: String] = [:]
            for p in errors { byField[p.field.id] = byField[p.field.id].map { "\($0); \(p.message)" } ?? p.message }
            return .form(with(form, errors: byField))
        }
        let change = LinkChange(from: original, to: draft.link)
        return .confirm(linkConfirm(LinkChangeRequest(change: change), state: state, form: form,
                                    warnings: problems.map(\.message)))
    }

    /// The confirm for a link change: what happens, old against new, what else it touches.
    static func linkConfirm(_ request: LinkChangeRequest, state: LatticeState, form: OperateFormState?, warnings: [String]) -> ConfirmState {
        let change = request.change
        var lines = [request.isUndo ? "Undo: \(change.summary)" : change.summary, ""]
        lines += change.diff.map(\.text)
        let existing = state.links.values.filter(\.isPresent).map(\.link)
        let collateral = change.collateral(in: existing)
        if !collateral.isEmpty {
            lines += ["", "⚠ link.del names only source, WIT package and link name, so it also removes:"]
            lines += collateral.map { "    " + LinkChange.describe($0) }
        }
        if change.steps.count > 1 {
            lines += ["", "Sent as: " + change.steps.map { if case .put = $0 { "put" } else { "delete" } }.joined(separator: " then ")
                + (change.steps.first.map { if case .delete = $0 { " (the host refuses a second target; if the put fails the old link is put back)" } else { "" } } ?? "")]
        }
        if !warnings.isEmpty { lines += [""] + warnings.map { "⚠ " + $0 } }
        let wadm = change.actions.lazy.compactMap { WadmGuard.check($0, in: state) }.first
        let title: String
        switch (change.before, change.after, request.isUndo) {
        case (_, _, true): title = "Undo the last link change?"
        case (nil, _, _): title = "Add link?"
        case (_, nil, _): title = "Delete link?"
        default: title = "Change link?"
        }
        var confirm = ConfirmState(title: title, lines: lines, actions: change.actions, wadm: wadm, form: form)
        confirm.linkChange = request
        return confirm
    }

    /// Keeps a form's completions in step with what is typed (the packages of the namespace,
    /// the interfaces of the package …) and a config form's blank entry at the end.
    public static func refresh(_ f: OperateFormState, state: LatticeState, context: OperateContext) -> OperateFormState {
        switch f.purpose {
        case .link(let original):
            var out = f
            let draft = LinkDraft(form: f.form, original: original)
            let vocabulary = LinkVocabulary(state: state, spiedInstances: context.spiedInstances)
            for i in out.form.fields.indices {
                if let field = LinkDraft.Field(id: out.form.fields[i].id) { out.form.fields[i].suggestions = vocabulary.pool(for: field, in: draft) }
            }
            return out
        case .config:
            return refreshConfigForm(f)
        default:
            return f
        }
    }
}

extension LinkDraft {
    /// The draft a link form holds.
    init(form: FormState, original: Link?) {
        self.init()
        self.original = original
        for field in Field.allCases { self[field] = form[field.id] }
    }
}
