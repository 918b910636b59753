import Foundation

/// Validation of names that become NATS subject tokens (lattice names, host IDs, config names…).
///
/// The host splits ctl subjects on `.` and matches tokens, so a token must be non-empty and free
/// of `.`, `*`, `>` and whitespace (NATS itself forbids whitespace in subjects).
public enum SubjectToken {
    public static func validate(_ value: String, as role: SubjectTokenRole) throws(SubjectValidationError) {
        guard !value.isEmpty else { throw .empty(role: role) }
        for scalar in value.unicodeScalars {
            if let name = forbiddenName(scalar, allowDot: false) {
                throw .forbiddenCharacter(role: role, value: value, character: name)
            }
        }
    }

    public static func isValid(_ value: String) -> Bool {
        (try? validate(value, as: .token)) != nil
    }

    /// A dotted prefix such as `wasmbus.ctl`: non-empty tokens, no wildcards, no whitespace.
    public static func validatePrefix(_ value: String) throws(SubjectValidationError) {
        guard !value.isEmpty else { throw .empty(role: .prefix) }
        for token in value.split(separator: ".", omittingEmptySubsequences: false) where token.isEmpty {
            throw .empty(role: .prefix)
        }
        for scalar in value.unicodeScalars {
            if let name = forbiddenName(scalar, allowDot: true) {
                throw .forbiddenCharacter(role: .prefix, value: value, character: name)
            }
        }
    }

    private static func forbiddenName(_ scalar: Unicode.Scalar, allowDot: Bool) -> String? {
        switch scalar {
        case ".": return allowDot ? nil : "\".\" (the subject separator)"
        case "*": return "\"*\" (a wildcard)"
        case ">": return "\">\" (a wildcard)"
        default:
            if scalar.properties.isWhitespace { return "whitespace" }
            if scalar.properties.generalCategory == .control { return "a control character" }
            return nil
        }
    }
}
