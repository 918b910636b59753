import CNATS
import Foundation
import Synchronization

/// A received message. It wraps the cnats message without copying, so that the subscription
/// callback stays cheap; fields are read (and copied) when asked for.
public final class NATSMessage: @unchecked Sendable {
    private let msg: OpaquePointer
    /// cnats parses headers lazily inside the message; serialise that.
    private let headerLock = Mutex<Void>(())
    /// When the cnats callback handed the message over.
    public let receivedAt: ContinuousClock.Instant

    init(taking msg: OpaquePointer) {
        self.msg = msg
        self.receivedAt = ContinuousClock.now
    }

    deinit { natsMsg_Destroy(msg) }

    public var subject: String { String(cString: natsMsg_GetSubject(msg)) }

    public var reply: String? {
        guard let r = natsMsg_GetReply(msg) else { return nil }
        let s = String(cString: r)
        return s.isEmpty ? nil : s
    }

    public var payloadCount: Int { Int(natsMsg_GetDataLength(msg)) }

    public var data: Data {
        let n = payloadCount
        guard n > 0, let p = natsMsg_GetData(msg) else { return Data() }
        return Data(bytes: p, count: n)
    }

    /// Reads the payload in place.
    public func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = payloadCount
        guard n > 0, let p = natsMsg_GetData(msg) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: n))
    }

    /// All headers, keys as sent. Empty when the message has none.
    public var headers: [String: [String]] {
        headerLock.withLock { _ in
            var keys: UnsafeMutablePointer<UnsafePointer<CChar>?>?
            var count: Int32 = 0
            guard natsMsgHeader_Keys(msg, &keys, &count) == NATS_OK, let keys else { return [:] }
            defer { free(keys) }
            var out: [String: [String]] = [:]
            for i in 0..<Int(count) {
                guard let k = keys[i] else { continue }
                var values: UnsafeMutablePointer<UnsafePointer<CChar>?>?
                var n: Int32 = 0
                var list: [String] = []
                if natsMsgHeader_Values(msg, k, &values, &n) == NATS_OK, let values {
                    for j in 0..<Int(n) { if let v = values[j] { list.append(String(cString: v)) } }
                    free(values)
                }
                out[String(cString: k)] = list
            }
            return out
        }
    }

    /// The first value of header `key` (exact key match as cnats does it).
    public func header(_ key: String) -> String? {
        headerLock.withLock { _ in
            var value: UnsafePointer<CChar>?
            guard natsMsgHeader_Get(msg, key, &value) == NATS_OK, let value else { return nil }
            return String(cString: value)
        }
    }

    /// True for the server's "no responders" status reply (503) to a request.
    public var isNoResponders: Bool {
        headerLock.withLock { _ in natsMsg_IsNoResponders(msg) }
    }
}
