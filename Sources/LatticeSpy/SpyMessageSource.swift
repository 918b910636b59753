import Foundation
import NATSKit

/// What the decoder reads from a received message: a `NATSMessage` on the wire, or a
/// `SpyWireMessage` built from plain values (fixtures, tests, replays).
public protocol SpyMessageSource: Sendable {
    var subject: String { get }
    var reply: String? { get }
    var payloadCount: Int { get }
    func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// The first value of a header, or nil.
    func header(_ key: String) -> String?
    /// Every header.
    var headers: [String: [String]] { get }
    var data: Data { get }
    /// When the message reached the process (monotonic clock).
    var receivedAt: ContinuousClock.Instant { get }
    /// The wire fields as bytes in place (the decoder's hot path).
    func withWireBytes<R>(_ body: (SpyWireBytes) -> R) -> R
}

extension NATSMessage: SpyMessageSource {}

/// NATS carries a reply's status code (`NATS/1.0 503`) as this header.
let natsStatusHeader = "Status"
