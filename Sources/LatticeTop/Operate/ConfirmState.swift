import TerminalUI

/// A pending confirm: what will be done (named, with its host), the actions, and the wadm
/// warning when wadm manages it. Only `y` confirms; `a` opens the wadm app when there is one;
/// any other key cancels (and goes back to the form it came from, if any).
public struct ConfirmState: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    public var actions: [OperateAction]
    public var wadm: WadmGuard.Finding?
    /// The form that led here (scale to 0, a wadm-managed edit): cancel returns to it, confirm
    /// sends and shows the result in it.
    public var form: OperateFormState?
    /// The link change the actions carry out (for undo, and to put a link back when a change
    /// fails half way).
    public var linkChange: LinkChangeRequest?

    public init(title: String, lines: [String], actions: [OperateAction], wadm: WadmGuard.Finding? = nil,
                form: OperateFormState? = nil) {
        self.title = title
        self.lines = lines
        self.actions = actions
        self.wadm = wadm
        self.form = form
    }

    public enum Answer: Sendable, Equatable {
        case confirm
        case openApp(String)
        case cancel
    }

    public func answer(_ key: Key) -> Answer {
        switch ModalKeys.command(for: key, in: ModalKeys.confirm) {
        case .confirm?: return .confirm
        case .openApp?: if let app = wadm?.application, !app.isEmpty { return .openApp(app) }
        default: break
        }
        return .cancel
    }

    /// The dialog as drawn.
    public var dialog: Dialog {
        var message = lines
        if let wadm {
            message += ["", "⚠ " + wadm.warning + ":", "  " + WadmGuard.revertNote]
        }
        message += ["", "Equivalent: " + actions.map(\.washCommand).joined(separator: " && ")]
        var buttons = ["y: yes, do it"]
        if let app = wadm?.application, !app.isEmpty { buttons.append("a: open app \(app)") }
        buttons.append("any other key: cancel")
        return Dialog(title: title, message: message, buttons: buttons, focusedButton: buttons.count - 1, maxWidth: 96)
    }
}

/// A form that operates on the lattice: the form's state plus what it is for.
public struct OperateFormState: Sendable, Equatable {
    public var purpose: OperatePurpose
    public var form: FormState

    public init(purpose: OperatePurpose, form: FormState) {
        self.purpose = purpose
        self.form = form
    }
}
