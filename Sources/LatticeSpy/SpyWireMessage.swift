import Foundation

/// A message given as plain values, for decoding without a NATS connection (fixtures, tests).
public struct SpyWireMessage: SpyMessageSource, Hashable {
    public var subject: String
    public var reply: String?
    public var headers: [String: [String]]
    public var data: Data
    public var receivedAt: ContinuousClock.Instant

    public init(subject: String, reply: String? = nil, headers: [String: String] = [:], payload: Data = Data(),
                receivedAt: ContinuousClock.Instant = .now) {
        self.subject = subject
        self.reply = reply
        self.headers = headers.mapValues { [$0] }
        self.data = payload
        self.receivedAt = receivedAt
    }

    public var payloadCount: Int { data.count }

    public func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try data.withUnsafeBytes(body)
    }

    public func header(_ key: String) -> String? { headers[key]?.first }

    public static func == (a: SpyWireMessage, b: SpyWireMessage) -> Bool {
        a.subject == b.subject && a.reply == b.reply && a.headers == b.headers && a.data == b.data
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(subject)
        hasher.combine(reply)
        hasher.combine(data)
    }
}
