import Foundation

/// A control subject taken apart: lattice, operation and (for host- or config-addressed
/// operations) the target token.
public struct ParsedCtlSubject: Sendable, Hashable, Codable {
    public var lattice: String
    public var operation: CtlOperation
    public var target: String?

    public init(lattice: String, operation: CtlOperation, target: String? = nil) {
        self.lattice = lattice
        self.operation = operation
        self.target = target
    }
}

/// Result of matching a subject against the control-subject grammar.
public enum CtlSubjectParseResult: Sendable, Hashable, Codable {
    /// A known operation with the right number of tokens.
    case operation(ParsedCtlSubject)
    /// Under `{prefix}.v1.{lattice}.` but not a known operation (or wrong token count). A host
    /// answers these with `{"success":false,"message":"unsupported subject"}`.
    case unsupported(lattice: String, remainder: String)
    /// Not a control subject for this prefix (or, for an instance parse, for this lattice).
    case notControlSubject

    public var parsed: ParsedCtlSubject? {
        if case .operation(let parsed) = self { return parsed }
        return nil
    }
}
