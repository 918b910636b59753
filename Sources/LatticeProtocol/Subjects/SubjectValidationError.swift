import Foundation

/// What a subject token names; used to make validation errors readable.
public enum SubjectTokenRole: String, Sendable, Hashable, Codable, CaseIterable {
    case lattice = "lattice name"
    case hostID = "host ID"
    case componentID = "component ID"
    case providerID = "provider ID"
    case configName = "config name"
    case applicationName = "application name"
    case target = "target ID"
    case prefix = "subject prefix"
    case token = "subject token"
}

/// Why a string cannot be used inside a NATS subject.
public enum SubjectValidationError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Empty (or, for a prefix, an empty token such as in `a..b`).
    case empty(role: SubjectTokenRole)
    /// Contains `.`, `*`, `>`, whitespace or a control character.
    case forbiddenCharacter(role: SubjectTokenRole, value: String, character: String)
    /// A target was given for an operation whose subject has none (e.g. `host.ping`).
    case targetNotAllowed(operation: String)

    public var description: String {
        switch self {
        case .empty(let role):
            return "\(role.rawValue) must not be empty"
        case .forbiddenCharacter(let role, let value, let character):
            return "\(role.rawValue) \"\(value)\" must not contain \(character)"
        case .targetNotAllowed(let operation):
            return "\(operation) takes no target token"
        }
    }
}
