import Foundation
import LatticeState

extension AppState {
    /// `E`'s editor came back (`AppEffect.editConfigInEditor` ran it off the UI thread, its result
    /// came back as an input): a valid file opens the confirm with old against new; an invalid
    /// one is handed back to the editor with the problem in its header (the session returned is
    /// the next to run); a file left invalid gives up (the text is kept, and the next `E`
    /// reopens it); an emptied or unchanged one cancels. The text also stays kept until the host
    /// confirms the put, so a cancelled confirm or a refusal loses nothing.
    mutating func editorReturned(_ returned: ConfigEditorSession, _ result: Result<String, ExternalEditor.Failure>,
                                 state: LatticeState, now: Date) -> ConfigEditorSession? {
        var session = returned
        let saved: String
        switch result {
        case .success(let s): saved = s
        case .failure(let failure):
            flash("config \(session.name) not changed: \(failure)", error: true, now: now)
            return nil
        }
        switch session.received(saved) {
        case .reopen:
            return session
        case .keep(let kept, let problem):
            operateContext.keptConfigTexts[session.name] = KeptConfigText(text: kept, problem: problem)
            flash("config \(session.name) not applied: \(problem) — E reopens your text", error: true, now: now)
        case .cancelled(let why):
            operateContext.keptConfigTexts[session.name] = nil
            flash(why, now: now)
        case .apply(let values):
            operateContext.keptConfigTexts[session.name] = KeptConfigText(
                text: saved, problem: ConfigYAML.Problem(line: nil, message: "not sent (the confirm was cancelled)"))
            mode = .confirm(OperatePlanner.configConfirm(name: session.name, original: session.original, values: values,
                                                         state: state, form: nil))
        }
        return nil
    }

    /// Runs `edit` (an editor, synchronously) on `start` until `editorReturned` is done with it:
    /// the loop's steps for callers that run the editor themselves (tests). `now` is read after
    /// each edit (it may have run for minutes).
    mutating func runConfigEditor(_ start: ConfigEditorSession, state: LatticeState, now: () -> Date,
                                  edit: (String) -> Result<String, ExternalEditor.Failure>) {
        var session: ConfigEditorSession? = start
        while let current = session {
            let result = edit(current.presented)
            session = editorReturned(current, result, state: state, now: now())
        }
    }
}
