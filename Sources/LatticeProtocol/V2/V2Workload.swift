import Foundation

/// v2 `WorkloadState`. Decodes the enum name or its number; unknown values are kept.
public enum V2WorkloadState: Sendable, Hashable, Codable, CustomStringConvertible {
    case unspecified
    case starting
    case running
    case completed
    case stopping
    case error
    case notFound
    case unknown(String)

    private static let names: [(V2WorkloadState, String)] = [
        (.unspecified, "WORKLOAD_STATE_UNSPECIFIED"), (.starting, "WORKLOAD_STATE_STARTING"),
        (.running, "WORKLOAD_STATE_RUNNING"), (.completed, "WORKLOAD_STATE_COMPLETED"),
        (.stopping, "WORKLOAD_STATE_STOPPING"), (.error, "WORKLOAD_STATE_ERROR"),
        (.notFound, "WORKLOAD_STATE_NOT_FOUND"),
    ]

    public init(wireName: String) {
        self = Self.names.first { $0.1 == wireName }?.0 ?? .unknown(wireName)
    }

    public init(number: Int) {
        self = (0..<Self.names.count).contains(number) ? Self.names[number].0 : .unknown(String(number))
    }

    public var wireName: String {
        if case .unknown(let raw) = self { return raw }
        return Self.names.first { $0.0 == self }!.1
    }

    public var description: String { wireName }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self.init(number: number)
        } else {
            self.init(wireName: try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireName)
    }
}

/// `{"workloadId","workloadState","message"}` inside every v2 workload reply.
public struct V2WorkloadStatus: Sendable, Hashable, Codable {
    public var workloadID: String
    public var workloadState: V2WorkloadState
    /// Often absent.
    public var message: String?

    public init(workloadID: String, workloadState: V2WorkloadState, message: String? = nil) {
        self.workloadID = workloadID
        self.workloadState = workloadState
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case workloadID = "workloadId"
        case workloadState, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workloadID = try c.decode(String.self, forKey: .workloadID, default: "")
        workloadState = try c.decode(V2WorkloadState.self, forKey: .workloadState, default: .unspecified)
        message = try c.decodeIfPresent(String.self, forKey: .message).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Reply to `workload.start`, `workload.status` and `workload.stop`: `{"workloadStatus":{…}}`.
public struct V2WorkloadReply: Sendable, Hashable, Codable {
    public var workloadStatus: V2WorkloadStatus

    public init(workloadStatus: V2WorkloadStatus) {
        self.workloadStatus = workloadStatus
    }

    enum CodingKeys: String, CodingKey {
        case workloadStatus
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workloadStatus = try c.decode(
            V2WorkloadStatus.self, forKey: .workloadStatus,
            default: V2WorkloadStatus(workloadID: "", workloadState: .unspecified))
    }
}

/// Body of `workload.status` / `workload.stop`. Encodes only `workloadId` (the host rejects
/// unknown keys); decodes the snake_case `workload_id` too, as the host does.
public struct V2WorkloadIDRequest: Sendable, Hashable, Codable {
    public var workloadID: String

    public init(workloadID: String) {
        self.workloadID = workloadID
    }

    enum CodingKeys: String, CodingKey {
        case workloadID = "workloadId"
        case snakeCase = "workload_id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workloadID = try c.decodeIfPresent(String.self, forKey: .workloadID)
            ?? c.decode(String.self, forKey: .snakeCase, default: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workloadID, forKey: .workloadID)
    }
}

/// Body of `workload.start`: the ID plus the `Workload` spec, kept as raw JSON.
public struct V2WorkloadStartRequest: Sendable, Hashable, Codable {
    public var workloadID: String
    public var workload: JSONValue?

    public init(workloadID: String, workload: JSONValue?) {
        self.workloadID = workloadID
        self.workload = workload
    }

    enum CodingKeys: String, CodingKey {
        case workloadID = "workloadId"
        case snakeCase = "workload_id"
        case workload
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workloadID = try c.decodeIfPresent(String.self, forKey: .workloadID)
            ?? c.decode(String.self, forKey: .snakeCase, default: "")
        workload = try c.decodeIfPresent(JSONValue.self, forKey: .workload)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workloadID, forKey: .workloadID)
        try c.encodeIfPresent(workload, forKey: .workload)
    }
}
