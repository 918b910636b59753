import Foundation
import LatticeState

extension AppState {
    /// `E`: runs `edit` (the user's editor) on the config's YAML until the user saves a valid
    /// file (then the confirm with old against new opens), gives up on an invalid one (the text
    /// is kept, and the next `E` reopens it), or cancels. The text also stays kept until the
    /// host confirms the put, so a cancelled confirm or a refusal loses nothing. `now` is read
    /// after the editor returns (it may have run for minutes).
    mutating func runConfigEditor(_ start: ConfigEditorSession, state: LatticeState, now: () -> Date,
                                  edit: (String) -> Result<String, ExternalEditor.Failure>) {
        var session = start
        var text = session.presented
        while true {
            let saved: String
            switch edit(text) {
            case .success(let s): saved = s
            case .failure(let failure):
                flash("config \(session.name) not changed: \(failure)", error: true, now: now())
                return
            }
            switch session.received(saved) {
            case .reopen(let again):
                text = again
            case .keep(let kept, let problem):
                operateContext.keptConfigTexts[session.name] = KeptConfigText(text: kept, problem: problem)
                flash("config \(session.name) not applied: \(problem) — E reopens your text", error: true, now: now())
                return
            case .cancelled(let why):
                operateContext.keptConfigTexts[session.name] = nil
                flash(why, now: now())
                return
            case .apply(let values):
                operateContext.keptConfigTexts[session.name] = KeptConfigText(
                    text: saved, problem: ConfigYAML.Problem(line: nil, message: "not sent (the confirm was cancelled)"))
                mode = .confirm(OperatePlanner.configConfirm(name: session.name, original: session.original, values: values,
                                                             state: state, form: nil))
                return
            }
        }
    }
}
