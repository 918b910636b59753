import Foundation

/// `model.get` without a name (wadm ≥ 0.15): `{"result","message","models"}`.
public struct WadmModelListReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var message: String
    public var models: [ModelSummary]

    public init(result: WadmResult = .success, message: String = "", models: [ModelSummary]) {
        self.result = result
        self.message = message
        self.models = models
    }

    enum CodingKeys: String, CodingKey {
        case result, message, models
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        message = try c.decode(String.self, forKey: .message, default: "")
        models = try c.decode([ModelSummary].self, forKey: .models, default: [])
    }

    /// Accepts either list shape: the `{result,message,models}` object or the bare array that
    /// the deprecated `model.list` returns (reported as `result: success`).
    public static func decodeEitherShape(_ data: Data) throws -> WadmModelListReply {
        if let models = try? WireJSON.decode([ModelSummary].self, from: data) {
            return WadmModelListReply(result: .success, message: "", models: models)
        }
        return try WireJSON.decode(WadmModelListReply.self, from: data)
    }
}

/// `model.status.{name}`: `{"result","message","status"}`.
public struct WadmModelStatusReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var message: String
    public var status: WadmStatus?

    public init(result: WadmResult = .ok, message: String = "", status: WadmStatus?) {
        self.result = result
        self.message = message
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case result, message, status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        message = try c.decode(String.self, forKey: .message, default: "")
        status = try c.decodeIfPresent(WadmStatus.self, forKey: .status)
    }
}

/// One entry of a `model.versions` reply.
public struct WadmVersionInfo: Sendable, Hashable, Codable {
    public var version: String
    public var deployed: Bool

    public init(version: String, deployed: Bool) {
        self.version = version
        self.deployed = deployed
    }
}

/// `model.versions.{name}`: `{"result","message","versions"}`.
public struct WadmVersionsReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var message: String
    public var versions: [WadmVersionInfo]

    public init(result: WadmResult, message: String = "", versions: [WadmVersionInfo]) {
        self.result = result
        self.message = message
        self.versions = versions
    }

    enum CodingKeys: String, CodingKey {
        case result, message, versions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        message = try c.decode(String.self, forKey: .message, default: "")
        versions = try c.decode([WadmVersionInfo].self, forKey: .versions, default: [])
    }
}

/// `model.put`: `{"result","total_versions","current_version","message","name"}`.
public struct WadmPutReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var totalVersions: Int
    public var currentVersion: String
    public var message: String
    public var name: String

    public init(result: WadmResult, totalVersions: Int, currentVersion: String, message: String = "", name: String) {
        self.result = result
        self.totalVersions = totalVersions
        self.currentVersion = currentVersion
        self.message = message
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case result, message, name
        case totalVersions = "total_versions"
        case currentVersion = "current_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        totalVersions = try c.decode(Int.self, forKey: .totalVersions, default: 0)
        currentVersion = try c.decode(String.self, forKey: .currentVersion, default: "")
        message = try c.decode(String.self, forKey: .message, default: "")
        name = try c.decode(String.self, forKey: .name, default: "")
    }
}

/// `model.deploy.{name}` / `model.undeploy.{name}`: `{"result","message","name","version"}`.
public struct WadmDeployReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var message: String
    public var name: String
    public var version: String?

    public init(result: WadmResult, message: String = "", name: String, version: String?) {
        self.result = result
        self.message = message
        self.name = name
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case result, message, name, version
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        message = try c.decode(String.self, forKey: .message, default: "")
        name = try c.decode(String.self, forKey: .name, default: "")
        version = try c.decodeIfPresent(String.self, forKey: .version)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(result, forKey: .result)
        try c.encode(message, forKey: .message)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
    }
}

/// `model.del.{name}`: `{"result","message","undeploy"}`.
public struct WadmDeleteReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var message: String
    public var undeploy: Bool

    public init(result: WadmResult, message: String = "", undeploy: Bool) {
        self.result = result
        self.message = message
        self.undeploy = undeploy
    }

    enum CodingKeys: String, CodingKey {
        case result, message, undeploy
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        message = try c.decode(String.self, forKey: .message, default: "")
        undeploy = try c.decode(Bool.self, forKey: .undeploy, default: false)
    }
}

/// Any wadm reply reduced to its common part; also the shape of the generic error reply.
public struct WadmGenericReply: Sendable, Hashable, Codable {
    public var result: WadmResult
    public var message: String

    public init(result: WadmResult, message: String = "") {
        self.result = result
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case result, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decode(WadmResult.self, forKey: .result)
        message = try c.decode(String.self, forKey: .message, default: "")
    }
}

/// Optional body of `model.get.{name}`, `model.deploy.{name}`, `model.del.{name}`.
public struct WadmVersionRequest: Sendable, Hashable, Codable {
    /// Left out when `nil` (latest / all versions).
    public var version: String?

    public init(version: String? = nil) {
        self.version = version
    }
}
