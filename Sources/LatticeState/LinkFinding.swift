import Foundation

/// Something wrong, or worth knowing, about a link.
public enum LinkFinding: Sendable, Equatable {
    /// The source runs on no live or stale host (only said once some host inventory is known).
    case sourceNotRunning(String)
    case targetNotRunning(String)
    /// Named config the link refers to that does not exist (only said when config names can
    /// be listed; `SECRET…` references are not checked).
    case missingSourceConfig([String])
    case missingTargetConfig([String])
    /// The latest put of this link was refused (`linkdef_set_failed`) and no successful put
    /// came after it.
    case putRefused(error: String, at: Date)
    /// Other links share source, namespace, package and name: `link.del` names only those, so
    /// a delete cannot pick one of them.
    case ambiguousForDelete(others: [LinkKey])

    public var isProblem: Bool {
        if case .ambiguousForDelete = self { return false }
        return true
    }
}

/// A link with what is wrong with it.
public struct LinkReport: Sendable, Equatable {
    public var record: LinkRecord
    public var findings: [LinkFinding]
}
