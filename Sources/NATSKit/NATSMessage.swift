import CNATS
import Foundation
import Synchronization

/// A received message. It wraps the cnats message without copying, so that the subscription
/// callback stays cheap; fields are read (and copied) when asked for.
public final class NATSMessage: @unchecked Sendable {
    private let msg: OpaquePointer
    /// cnats parses headers lazily inside the message; serialise that.
    /// True once cnats has lifted the headers (parsing the header block in place).
    private let headerLock = Mutex<Bool>(false)
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
        headerLock.withLock { lifted in
            lifted = true
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
        headerLock.withLock { lifted in
            lifted = true
            var value: UnsafePointer<CChar>?
            guard natsMsgHeader_Get(msg, key, &value) == NATS_OK, let value else { return nil }
            return String(cString: value)
        }
    }

    /// True for the server's "no responders" status reply (503) to a request.
    public var isNoResponders: Bool {
        headerLock.withLock { lifted in
            lifted = true
            return natsMsg_IsNoResponders(msg)
        }
    }

    // MARK: - Bytes in place (no String, no copy)

    /// The subject's bytes, in place.
    public func withSubjectBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let p = natsMsg_GetSubject(msg)!
        return try body(UnsafeRawBufferPointer(start: p, count: strlen(p)))
    }

    /// The reply subject's bytes in place (empty when there is none).
    public func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let p = natsMsg_GetReply(msg) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: p, count: strlen(p)))
    }

    /// The header block as received (`NATS/1.0[ status]\r\nKey: value\r\n…\r\n`), in place, so
    /// that a caller can read the headers without cnats lifting them into strings; empty when
    /// the message has no headers. Nil once the headers have been read through `header(_:)`,
    /// `headers` or `isNoResponders` (cnats parses the block in place then) or when the block
    /// cannot be located: use those accessors instead.
    ///
    /// cnats (3.x) lays a received message out as one block: subject NUL, reply NUL, header
    /// block NUL, payload; the block is what lies between the reply's (or subject's) NUL and
    /// the payload, checked here for its `NATS/1.0` prefix and the NUL before the payload.
    public func withRawHeaders<R>(_ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        let lifted = headerLock.withLock { $0 }
        guard !lifted else { return try body(nil) }
        let last = natsMsg_GetReply(msg) ?? natsMsg_GetSubject(msg)!
        let start = UnsafeRawPointer(last) + strlen(last) + 1
        guard let data = natsMsg_GetData(msg).map(UnsafeRawPointer.init) else { return try body(nil) }
        if data == start { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let count = data - start - 1
        guard count >= 10, count < 1 << 20, data.load(fromByteOffset: -1, as: UInt8.self) == 0 else { return try body(nil) }
        let block = UnsafeRawBufferPointer(start: start, count: count)
        guard block.starts(with: Self.headerPrefix) else { return try body(nil) }
        return try body(block)
    }

    private static let headerPrefix: [UInt8] = Array("NATS/1.0".utf8)
}
