import Foundation

/// wadm application API subjects (`wadm.api.{lattice}.model.…`) and live status subjects
/// (`wadm.status.{lattice}.{app}`).
public struct WadmSubjects: Sendable, Hashable, Codable {
    public static let defaultAPIPrefix = "wadm.api"
    public static let statusPrefix = "wadm.status"

    public let apiPrefix: String
    public let lattice: String

    public init(apiPrefix: String = WadmSubjects.defaultAPIPrefix, lattice: String) {
        self.apiPrefix = apiPrefix
        self.lattice = lattice
    }

    private var model: String { "\(apiPrefix).\(lattice).model" }

    /// `model.get` without a name lists applications (wadm ≥ 0.15): reply `{result,message,models}`.
    public var modelList: String { "\(model).get" }
    /// Deprecated `model.list`: reply is a bare array of `ModelSummary`.
    public var modelListDeprecated: String { "\(model).list" }
    public func modelGet(name: String) -> String { "\(model).get.\(name)" }
    public func modelVersions(name: String) -> String { "\(model).versions.\(name)" }
    public var modelPut: String { "\(model).put" }
    public func modelDeploy(name: String) -> String { "\(model).deploy.\(name)" }
    public func modelUndeploy(name: String) -> String { "\(model).undeploy.\(name)" }
    public func modelDelete(name: String) -> String { "\(model).del.\(name)" }
    public func modelStatus(name: String) -> String { "\(model).status.\(name)" }

    /// `wadm.status.{lattice}.>`: live status of every application.
    public var statusWildcard: String { "\(Self.statusPrefix).\(lattice).>" }
    /// `wadm.status.{lattice}.{app}`.
    public func status(application: String) -> String { "\(Self.statusPrefix).\(lattice).\(application)" }

    /// The application name of a `wadm.status.{lattice}.{app}` subject.
    public static func parseStatus(_ subject: String) -> (lattice: String, application: String)? {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard tokens.count == 4, tokens[0] == "wadm", tokens[1] == "status",
              !tokens[2].isEmpty, !tokens[3].isEmpty
        else { return nil }
        return (String(tokens[2]), String(tokens[3]))
    }
}
