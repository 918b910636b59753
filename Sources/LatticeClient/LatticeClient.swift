import Foundation
import LatticeProtocol
import NATSKit

/// A typed client for the wasmCloud 1.x lattice control interface (and wadm's model API).
/// Request/reply operations wait `timeout`; scatter-gather ones (ping, auctions) collect for
/// `gatherWindow`. Errors are `LatticeClientError`.
public struct LatticeClient: Sendable {
    public let connection: NATSConnection
    public let subjects: CtlSubjects
    public let wadm: WadmSubjects
    public var timeout: Duration
    public var gatherWindow: Duration

    public init(
        connection: NATSConnection, lattice: String = "default", ctlTopicPrefix: String = CtlSubjects.defaultPrefix,
        timeout: Duration = .seconds(2), gatherWindow: Duration? = nil
    ) {
        self.connection = connection
        self.subjects = CtlSubjects(prefix: ctlTopicPrefix, lattice: lattice)
        self.wadm = WadmSubjects(lattice: lattice)
        self.timeout = timeout
        self.gatherWindow = gatherWindow ?? timeout
    }

    public var lattice: String { subjects.lattice }

    // MARK: - Plumbing

    func validate(_ token: String, _ what: String) throws(LatticeClientError) {
        if token.isEmpty { throw .invalidArgument("\(what) must not be empty") }
        // Plain ASCII (every host ID) is checked byte by byte; anything else by character.
        let plain = token.utf8.allSatisfy { b in
            b > 0x20 && b < 0x7F && b != UInt8(ascii: ".") && b != UInt8(ascii: "*") && b != UInt8(ascii: ">")
        }
        if !plain, token.contains(where: { $0 == "." || $0 == "*" || $0 == ">" || $0.isWhitespace }) {
            throw .invalidArgument("\(what) '\(token)' must not contain '.', '*', '>' or spaces")
        }
    }

    /// Sends `body` and decodes the reply envelope (with `decode`: `JSONDecoder` unless the type
    /// has a direct reader, e.g. `HostReplyDecoder`); `success: false` becomes `.refused`. With
    /// `resends`, an unanswered request is sent again after each `timeout` and a late reply to
    /// any send counts (`NATSConnection.request`).
    func call<T: Sendable & Equatable & Codable>(
        _ subject: String, body: Data = Data(), expecting: T.Type, resends: Int = 0,
        decode: (Data) throws -> CtlResponse<T> = { try WireJSON.decode(CtlResponse<T>.self, from: $0) }
    ) async throws(LatticeClientError) -> CtlResponse<T> {
        try Self.interpret(try await reply(to: subject, body: body, resends: resends).data, subject: subject, decode: decode)
    }

    /// The reply to `body` sent on `subject`, undecoded; a failed request as `LatticeClientError`.
    func reply(to subject: String, body: Data = Data(), resends: Int = 0) async throws(LatticeClientError) -> NATSMessage {
        do {
            return try await connection.request(subject, payload: body, timeout: timeout, resends: resends)
        } catch {
            throw LatticeClientError.from(error, subject: subject)
        }
    }

    /// A reply's envelope (`call`'s reading of it): undecodable is `.malformedReply`, `success:
    /// false` is `.refused`.
    static func interpret<T: Sendable & Equatable & Codable>(
        _ data: Data, subject: String, decode: (Data) throws -> CtlResponse<T>
    ) throws(LatticeClientError) -> CtlResponse<T> {
        let response: CtlResponse<T>
        do {
            response = try decode(data)
        } catch {
            throw .malformedReply(subject: subject, detail: Self.describe(error))
        }
        if !response.success { throw .refused(subject: subject, message: response.message) }
        return response
    }

    /// `ask`, asked once more when it timed out, the second time waiting `longerBy` times the
    /// timeout: a host busy with a big lattice's burst, or building a big reply, may answer later
    /// than the timeout. Any other error, and a second timeout, is thrown as it came.
    public func askingAgainAfterTimeout<T>(
        longerBy factor: Int = 1, _ ask: (LatticeClient) async throws(LatticeClientError) -> T
    ) async throws(LatticeClientError) -> T {
        do {
            return try await ask(self)
        } catch .timeout {
            var patient = self
            patient.timeout = timeout * max(1, factor)
            return try await ask(patient)
        }
    }

    /// A request whose reply carries no payload; returns the host's message.
    @discardableResult
    func ack(_ subject: String, body: Data) async throws(LatticeClientError) -> String {
        try await call(subject, body: body, expecting: NoPayload.self).message
    }

    func encode<T: Encodable>(_ value: T) throws(LatticeClientError) -> Data {
        do { return try WireJSON.encode(value) } catch { throw .invalidArgument("cannot encode request: \(error)") }
    }

    /// Gathers every decodable reply until the window closes (or `expected` replies came).
    func gather<T: Sendable & Equatable & Codable>(
        _ subject: String, body: Data = Data(), expecting: T.Type, expected: Int? = nil,
        decode: @escaping @Sendable (Data) throws -> CtlResponse<T> = { try WireJSON.decode(CtlResponse<T>.self, from: $0) }
    ) throws(LatticeClientError) -> AsyncStream<Result<T, LatticeClientError>> {
        let stream: AsyncStream<NATSMessage>
        do {
            stream = try connection.scatterGather(subject, payload: body, window: gatherWindow, expected: expected)
        } catch {
            throw LatticeClientError.from(error, subject: subject)
        }
        return AsyncStream { continuation in
            let task = Task {
                for await message in stream {
                    do {
                        let r = try decode(message.data)
                        if let payload = r.response, r.success {
                            continuation.yield(.success(payload))
                        } else {
                            continuation.yield(.failure(.refused(subject: subject, message: r.message)))
                        }
                    } catch {
                        continuation.yield(.failure(.malformedReply(subject: subject, detail: Self.describe(error))))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing key '\(key.stringValue)'" + path(ctx)
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return ctx.debugDescription + path(ctx)
        case DecodingError.dataCorrupted(let ctx):
            return "not valid JSON" + path(ctx)
        default:
            return String(describing: error)
        }
    }

    private static func path(_ ctx: DecodingError.Context) -> String {
        ctx.codingPath.isEmpty ? "" : " at " + ctx.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
