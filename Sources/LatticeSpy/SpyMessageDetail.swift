import Foundation

/// A message with everything that was received: the full payload and every header. Available
/// for the most recent messages only (`SpyConfiguration.rawTailMessages` / `rawTailBytes`).
public struct SpyMessageDetail: Sendable {
    public let message: SpyMessage
    public let payload: Data
    /// Every header of the message itself, as received.
    public let headers: [String: [String]]
}
