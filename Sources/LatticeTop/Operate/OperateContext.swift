/// What the operate planner needs beyond the lattice state: the link changes that can be undone,
/// the WIT instances the spy has seen (for completion), and config text kept from an `$EDITOR`
/// session that was not applied.
public struct OperateContext: Sendable, Equatable {
    /// Confirmed link changes, oldest first; `u` undoes the last.
    public var linkHistory: [LinkChange] = []
    /// `ns:pkg/iface@version` instances seen by the spy.
    public var spiedInstances: [String] = []
    /// Per config name: the YAML the user wrote that was not applied (invalid, cancelled at the
    /// confirm, or refused by the host), so `E` reopens it.
    public var keptConfigTexts: [String: KeptConfigText] = [:]

    public init() {}
}

/// A link change on its way: what it changes, and whether it undoes the last one.
public struct LinkChangeRequest: Sendable, Equatable {
    public var change: LinkChange
    public var isUndo: Bool

    public init(change: LinkChange, isUndo: Bool = false) {
        self.change = change
        self.isUndo = isUndo
    }
}

/// YAML from `$EDITOR` that was not applied, and why.
public struct KeptConfigText: Sendable, Equatable {
    public var text: String
    public var problem: ConfigYAML.Problem

    public init(text: String, problem: ConfigYAML.Problem) {
        self.text = text
        self.problem = problem
    }
}
