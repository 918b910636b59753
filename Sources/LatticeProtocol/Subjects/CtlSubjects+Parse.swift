import Foundation

extension CtlSubjects {
    /// Parses any control subject under `prefix`, whatever its lattice.
    public static func parse(_ subject: String, prefix: String = CtlSubjects.defaultPrefix) -> CtlSubjectParseResult {
        let prefixTokens = prefix.split(separator: ".", omittingEmptySubsequences: false)
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard tokens.count > prefixTokens.count + 2,
              tokens.starts(with: prefixTokens),
              tokens[prefixTokens.count] == Substring(apiVersion)
        else { return .notControlSubject }

        let lattice = tokens[prefixTokens.count + 1]
        guard !lattice.isEmpty else { return .notControlSubject }
        let rest = Array(tokens[(prefixTokens.count + 2)...])
        let remainder = rest.joined(separator: ".")
        let unsupported = CtlSubjectParseResult.unsupported(lattice: String(lattice), remainder: remainder)

        guard rest.count >= 2, let operation = CtlOperation(noun: String(rest[0]), verb: String(rest[1])) else {
            return unsupported
        }
        if operation.targetKind == .none {
            guard rest.count == 2 else { return unsupported }
            return .operation(ParsedCtlSubject(lattice: String(lattice), operation: operation))
        }
        guard rest.count == 3, !rest[2].isEmpty else { return unsupported }
        return .operation(ParsedCtlSubject(lattice: String(lattice), operation: operation, target: String(rest[2])))
    }

    /// Parses a subject under this prefix **and** lattice; other lattices are `.notControlSubject`.
    public func parse(_ subject: String) -> CtlSubjectParseResult {
        let result = Self.parse(subject, prefix: prefix)
        switch result {
        case .operation(let parsed) where parsed.lattice != lattice: return .notControlSubject
        case .unsupported(let other, _) where other != lattice: return .notControlSubject
        default: return result
        }
    }

    /// The known operation and its target, or `nil` for anything else.
    public func parseOperation(_ subject: String) -> (operation: CtlOperation, target: String?)? {
        guard let parsed = parse(subject).parsed else { return nil }
        return (parsed.operation, parsed.target)
    }
}
