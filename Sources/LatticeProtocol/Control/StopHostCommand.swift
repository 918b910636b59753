import Foundation

/// Body of `host.stop.{hostID}`. `StopHostCommand()` encodes to `{}`, which every 1.x host
/// accepts (1.0 rejects an empty body).
public struct StopHostCommand: Sendable, Hashable, Codable {
    /// If non-empty, must equal the addressed host's ID (v1.1+).
    public var hostID: String?
    /// Shutdown deadline. Documented upstream as seconds, but the host uses it as **milliseconds**.
    public var timeout: UInt64?

    public init(hostID: String? = nil, timeout: UInt64? = nil) {
        self.hostID = hostID
        self.timeout = timeout
    }

    enum CodingKeys: String, CodingKey {
        case hostID = "host_id"
        case timeout
    }

    /// Decodes a request body as a v1.1+ host does: an empty body means "no options".
    public static func decodeRequestBody(_ data: Data) throws -> StopHostCommand {
        WireJSON.isBlank(data) ? StopHostCommand() : try WireJSON.decode(StopHostCommand.self, from: data)
    }
}
