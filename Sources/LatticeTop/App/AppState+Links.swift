import Foundation

extension AppState {
    /// Bookkeeping when mutation `id` has ended: a confirmed link change goes on the undo
    /// history (an undo comes off it); a change that deleted the old link and then could not
    /// put the new one puts the old one back (returned as a follow-up mutation); config text
    /// kept from `$EDITOR` is dropped once the config was put, and carries the host's answer
    /// when it was not.
    mutating func settle(_ outcomes: [MutationOutcome], id: Int) -> [AppEffect] {
        for o in outcomes {
            guard case .putConfig(let name, _) = o.action, let kept = operateContext.keptConfigTexts[name] else { continue }
            operateContext.keptConfigTexts[name] = o.isSuccess ? nil
                : KeptConfigText(text: kept.text, problem: ConfigYAML.Problem(line: nil, message: "not applied: " + o.message))
        }
        guard let request = linkChangesInFlight.removeValue(forKey: id) else { return [] }
        let change = request.change
        if outcomes.count == change.steps.count && outcomes.allSatisfy(\.isSuccess) {
            if request.isUndo {
                if operateContext.linkHistory.last == change.undo { operateContext.linkHistory.removeLast() }
            } else {
                operateContext.linkHistory.append(change)
                if operateContext.linkHistory.count > Self.linkHistoryLimit { operateContext.linkHistory.removeFirst() }
            }
            return []
        }
        if let before = change.before, case .delete? = change.steps.first, change.steps.count > 1, outcomes.first?.isSuccess == true {
            nextMutationID += 1
            return [.mutate(id: nextMutationID, actions: [.putLink(before)])]
        }
        return []
    }

    static let linkHistoryLimit = 50
}
