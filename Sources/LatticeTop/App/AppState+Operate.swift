import Foundation
import LatticeState
import TerminalUI

/// The operate keys: open a form or a confirm, validate and send, and show the outcome. The
/// draft stays open (with the host's message) until the change is confirmed by its event.
extension AppState {
    /// What the selected row is about, else what the open drill-down shows.
    func operateTarget(view: PaneView) -> OperateTarget {
        let table = tables[pane] ?? TableState(selected: view.rows.isEmpty ? nil : 0)
        let item = table.selected.flatMap { view.rows.indices.contains($0) ? view.rows[$0].item : nil }
        switch item {
        case .host(let h)?: return .host(h)
        case .component(let h, let id)?: return .component(hostID: h, componentID: id)
        case .provider(let h, let id)?: return .provider(hostID: h, providerID: id)
        case .link(let id)?: return .link(id)
        case .config(let name)?, .configValue(let name, _)?: return .config(name)
        case .app?, .event?, .spyMessage?, .spyOperation?: return .none
        case nil: break
        }
        switch drill?.item {
        case .host(let h)?: return .host(h)
        case .component(let h, let id)?: return .component(hostID: h, componentID: id)
        case .provider(let h, let id)?: return .provider(hostID: h, providerID: id)
        case .link(let id)?: return .link(id)
        case .config(let name)?, .configValue(let name, _)?: return .config(name)
        default: return .none
        }
    }

    mutating func beginOperation(_ request: OperateRequest, view: PaneView, lattice: LatticeState, now: Date) -> [AppEffect] {
        guard !readOnly else { return [] }
        return apply(OperatePlanner.begin(request, target: operateTarget(view: view), state: lattice, context: operateContext), now: now)
    }

    /// Moves to the step: a form, a confirm, sending, or a refusal on the flash line.
    mutating func apply(_ step: OperateStep, now: Date, from form: OperateFormState? = nil) -> [AppEffect] {
        switch step {
        case .form(let f):
            mode = .form(f)
        case .confirm(let c):
            mode = .confirm(c)
        case .refuse(let why):
            flash(why, error: true, now: now)
        case .send(let actions):
            return send(actions, form: form, now: now)
        case .editor(let session):
            mode = .normal
            return [.editConfigInEditor(session)]
        }
        return []
    }

    private mutating func send(_ actions: [OperateAction], form: OperateFormState?, now: Date) -> [AppEffect] {
        guard !readOnly, !actions.isEmpty else { return [] }
        nextMutationID += 1
        pendingMutation = nextMutationID
        let waiting = "sending \(actions.map(\.verb).joined(separator: ", ")) … then waiting for "
            + (actions.last?.awaitedEvents.map(\.shortName).joined(separator: " / ") ?? "")
        if var f = form {
            f.form.message = nil
            formsInFlight[nextMutationID] = f
            f.form.busy = waiting
            mode = .form(f)
        } else {
            mode = .normal
            flash(waiting, now: now)
        }
        return [.mutate(id: nextMutationID, actions: actions)]
    }

    mutating func handleForm(_ key: Key, _ f: OperateFormState, lattice: LatticeState, now: Date) -> [AppEffect] {
        var f = f
        switch f.form.handle(key) {
        case .cancel:
            mode = .normal
            if f.form.busy != nil { flash("the request goes on; its result will show here", now: now) }
            return []
        case .none:
            mode = .form(OperatePlanner.refresh(f, state: lattice, context: operateContext))
            return []
        case .submit:
            return apply(OperatePlanner.submit(f, state: lattice, context: operateContext), now: now, from: f)
        }
    }

    mutating func handleConfirm(_ key: Key, _ c: ConfirmState, now: Date) -> [AppEffect] {
        switch c.answer(key) {
        case .confirm:
            let effects = send(c.actions, form: c.form, now: now)
            if let change = c.linkChange { linkChangesInFlight[nextMutationID] = change }
            return effects
        case .openApp(let app):
            mode = .normal
            pane = .apps
            drills[.apps] = [.app(app)]
            outerFilters[.apps] = [filters[.apps]]
            filters[.apps] = nil
            tables[.apps] = TableState(selected: 0)
            return []
        case .cancel:
            if let f = c.form { mode = .form(f) } else { mode = .normal }
            flash("cancelled: nothing was sent", now: now)
            return []
        }
    }

    /// The outcomes of mutation `id`: on success its form closes and the result line shows; on
    /// failure its form comes back with the draft and the reason — in place when it is still
    /// open, reopened when it was closed while it waited and nothing else is open (another form
    /// or confirm is not taken away: the result line says what happened). Another mutation's
    /// outcome never closes or fills a form that waits for its own.
    @discardableResult
    public mutating func receive(_ outcomes: [MutationOutcome], id: Int, now: Date) -> [AppEffect] {
        let followUp = settle(outcomes, id: id)
        let sentFrom = formsInFlight.removeValue(forKey: id)
        let awaitedByOpenForm = pendingMutation == id
        if pendingMutation == id { pendingMutation = nil }
        guard let last = outcomes.last else { return followUp }
        let done = outcomes.filter(\.isSuccess).count
        let prefix = outcomes.count > 1 ? "\(done)/\(outcomes.count) done — " : ""
        let ok = outcomes.allSatisfy(\.isSuccess)
        var openForm: OperateFormState?
        if case .form(let f) = mode, f.form.busy != nil, awaitedByOpenForm { openForm = f }
        if ok {
            if openForm != nil { mode = .normal }
        } else if var f = openForm ?? sentFrom {
            f.form.show(prefix + last.message + "\nEquivalent: " + last.action.washCommand + "\nFix and press enter to retry, esc to give up.",
                        isError: true)
            switch mode {
            case .normal, .help, .text: mode = .form(f)
            case .form where openForm != nil: mode = .form(f)
            default: break
            }
        }
        // Results stay up long enough to read (and copy) the wash command.
        flash(prefix + last.resultLine, error: !ok, now: now, seconds: 15)
        if !followUp.isEmpty, let note = flash?.message { flash(note + " — putting the previous link back", error: true, now: now, seconds: 15) }
        return followUp
    }
}
