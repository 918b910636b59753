import Foundation

/// The envelope of every control reply: `{"success":…,"message":…,"response":…}`.
///
/// `response` is left out on encode when `nil` (never `null`). On decode, the host's emergency
/// fallback key `error` (used instead of `message`) is read as a failure message.
public struct CtlResponse<Payload: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
    public var success: Bool
    public var message: String
    public var response: Payload?

    public init(success: Bool, message: String = "", response: Payload? = nil) {
        self.success = success
        self.message = message
        self.response = response
    }

    public static func ok(_ response: Payload? = nil, message: String = "") -> CtlResponse {
        CtlResponse(success: true, message: message, response: response)
    }

    public static func failure(_ message: String) -> CtlResponse {
        CtlResponse(success: false, message: message)
    }

    /// The failure text, or `nil` on success.
    public var failureMessage: String? { success ? nil : message }

    enum CodingKeys: String, CodingKey {
        case success, message, response, error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let error = try container.decodeIfPresent(String.self, forKey: .error) {
            success = false
            message = error
        } else {
            success = try container.decode(Bool.self, forKey: .success)
            message = try container.decode(String.self, forKey: .message, default: "")
        }
        response = try container.decodeIfPresent(Payload.self, forKey: .response)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(success, forKey: .success)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(response, forKey: .response)
    }
}

/// An acknowledgement: a `CtlResponse` that carries no payload.
public typealias CtlAck = CtlResponse<NoPayload>

/// The payload of an acknowledgement. Decodes from anything (the docs show `"response": {}`);
/// encodes as `{}`.
public struct NoPayload: Sendable, Hashable, Codable {
    public init() {}

    public init(from decoder: any Decoder) throws {}

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: EmptyKeys.self)
    }

    private enum EmptyKeys: CodingKey {}
}

extension CtlResponse: Hashable where Payload: Hashable {}
