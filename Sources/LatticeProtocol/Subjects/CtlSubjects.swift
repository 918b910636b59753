import Foundation

/// Builders for wasmCloud 1.x control subjects: `{prefix}.v1.{lattice}.{noun}.{verb}[.{target}]`.
///
/// Builders only assemble strings; use `validated(prefix:lattice:)` and
/// `subject(for:target:)` (or `SubjectToken.validate`) when the names come from a user.
public struct CtlSubjects: Sendable, Hashable, Codable {
    public static let defaultPrefix = "wasmbus.ctl"
    public static let apiVersion = "v1"
    /// The host's reply to a subject it does not understand.
    public static let unsupportedSubjectMessage = "unsupported subject"

    public let prefix: String
    public let lattice: String

    public init(prefix: String = CtlSubjects.defaultPrefix, lattice: String) {
        self.prefix = prefix
        self.lattice = lattice
    }

    /// Like `init`, but rejects an invalid prefix or lattice name.
    public static func validated(
        prefix: String = CtlSubjects.defaultPrefix, lattice: String
    ) throws(SubjectValidationError) -> CtlSubjects {
        try SubjectToken.validatePrefix(prefix)
        try SubjectToken.validate(lattice, as: .lattice)
        return CtlSubjects(prefix: prefix, lattice: lattice)
    }

    /// `{prefix}.v1.{lattice}`
    public var base: String { "\(prefix).\(Self.apiVersion).\(lattice)" }

    /// Builds the subject of `operation`, validating the target: required (and a valid token)
    /// for host- and config-addressed operations, forbidden for the others.
    public func subject(for operation: CtlOperation, target: String? = nil) throws(SubjectValidationError) -> String {
        switch operation.targetKind {
        case .none:
            if target != nil { throw .targetNotAllowed(operation: operation.rawValue) }
            return "\(base).\(operation.rawValue)"
        case .hostID, .configName:
            let role: SubjectTokenRole = operation.targetKind == .hostID ? .hostID : .configName
            guard let target else { throw .empty(role: role) }
            try SubjectToken.validate(target, as: role)
            return "\(base).\(operation.rawValue).\(target)"
        }
    }

    private func make(_ operation: CtlOperation, _ target: String? = nil) -> String {
        target.map { "\(base).\(operation.rawValue).\($0)" } ?? "\(base).\(operation.rawValue)"
    }

    // MARK: - Hosts
    public var hostPing: String { make(.hostPing) }
    public func hostGet(hostID: String) -> String { make(.hostGet, hostID) }
    public func hostStop(hostID: String) -> String { make(.hostStop, hostID) }

    // MARK: - Components
    public func componentScale(hostID: String) -> String { make(.componentScale, hostID) }
    public func componentUpdate(hostID: String) -> String { make(.componentUpdate, hostID) }
    public var componentAuction: String { make(.componentAuction) }

    // MARK: - Providers
    public func providerStart(hostID: String) -> String { make(.providerStart, hostID) }
    public func providerStop(hostID: String) -> String { make(.providerStop, hostID) }
    public var providerAuction: String { make(.providerAuction) }

    // MARK: - Links
    public var linkGet: String { make(.linkGet) }
    public var linkPut: String { make(.linkPut) }
    public var linkDelete: String { make(.linkDelete) }

    // MARK: - Config
    public func configGet(name: String) -> String { make(.configGet, name) }
    public func configPut(name: String) -> String { make(.configPut, name) }
    public func configDelete(name: String) -> String { make(.configDelete, name) }

    // MARK: - Labels, claims, registries
    public func labelPut(hostID: String) -> String { make(.labelPut, hostID) }
    public func labelDelete(hostID: String) -> String { make(.labelDelete, hostID) }
    public var claimsGet: String { make(.claimsGet) }
    public var registryPut: String { make(.registryPut) }
}
