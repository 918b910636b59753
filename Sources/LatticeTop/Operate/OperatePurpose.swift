import LatticeProtocol

/// What a mutating key asks for (the key table's commands).
public enum OperateRequest: Hashable, Sendable {
    case startProvider
    case stopProvider
    case scaleComponent
    case updateComponent
    case editLabels
    case stopHost
    // Links pane (`OperatePlanner+Links`).
    case addLink
    case editLink
    case deleteLink
    case undoLinkChange
    // Config pane (`OperatePlanner+Config`).
    case addConfig
    case editConfig
    case deleteConfig
    /// The whole config as YAML in `$EDITOR`.
    case editConfigInEditor
}

/// What the selected row (or the open drill-down) points at.
public enum OperateTarget: Hashable, Sendable {
    case none
    case host(String)
    case provider(hostID: String, providerID: String)
    case component(hostID: String, componentID: String)
    case link(String)
    case config(String)
}

/// What an operate form is for, with what it needs to turn its fields into actions.
public enum OperatePurpose: Sendable, Equatable {
    case startProvider
    case scaleComponent(hostID: String, componentID: String, imageRef: String, annotations: [String: String])
    case updateComponent(hostID: String, componentID: String, imageRef: String)
    case editLabels(hostID: String, labels: [String: String])
    /// A link form: the link it edits (nil: a new link).
    case link(original: Link?)
    /// A config form: the config it edits (nil: a new config) and its values then.
    case config(name: String?, original: [String: String]?)
}

/// The next step after a key or a form submission.
public enum OperateStep: Sendable, Equatable {
    case form(OperateFormState)
    case confirm(ConfirmState)
    case send([OperateAction])
    /// Hand the config to `$EDITOR` (the UI loop owns the terminal).
    case editor(ConfigEditorSession)
    /// Nothing to do, with why (no row selected, not applicable here …).
    case refuse(String)
}
