import CNATS
import Foundation

/// A JetStream key-value bucket (cnats' kvStore), e.g. wasmCloud's `CONFIGDATA_{lattice}`.
/// cnats' calls block, so each runs on a dispatch queue.
public final class NATSKeyValue: @unchecked Sendable {
    private let js: OpaquePointer
    private let kv: OpaquePointer
    /// Keeps the connection alive as long as the bucket handle.
    public let connection: NATSConnection
    public let bucket: String

    private init(js: OpaquePointer, kv: OpaquePointer, connection: NATSConnection, bucket: String) {
        self.js = js
        self.kv = kv
        self.connection = connection
        self.bucket = bucket
    }

    deinit {
        kvStore_Destroy(kv)
        jsCtx_Destroy(js)
    }

    /// Binds to `bucket` (creating it when `create` is set and it does not exist). Fails with
    /// `.noResponders`/`.timeout` when the server has no JetStream, and a `.status` "not found"
    /// when the bucket does not exist.
    public static func open(
        _ connection: NATSConnection, bucket: String, domain: String? = nil, create: Bool = false,
        timeout: Duration = .seconds(2)
    ) async throws(NATSError) -> NATSKeyValue {
        try await JetStreamContext.blocking { () throws(NATSError) -> NATSKeyValue in
            let js = try JetStreamContext.make(connection, domain: domain, timeout: timeout)
            var kv: OpaquePointer?
            var status = js_KeyValue(&kv, js, bucket)
            if status == NATS_NOT_FOUND && create {
                var cfg = kvConfig()
                _ = kvConfig_Init(&cfg)
                status = bucket.withCString { name in
                    cfg.Bucket = name
                    cfg.History = 1
                    return js_CreateKeyValue(&kv, js, &cfg)
                }
            }
            guard status == NATS_OK, let kv else {
                jsCtx_Destroy(js)
                throw NATSError.from(status, subject: "$JS.API.STREAM.INFO.KV_\(bucket)")
            }
            return NATSKeyValue(js: js, kv: kv, connection: connection, bucket: bucket)
        }
    }

    /// Every key currently in the bucket (deleted ones left out).
    public func keys() async throws(NATSError) -> [String] {
        let kv = JSPointer(pointer: self.kv)
        return try await JetStreamContext.blocking { () throws(NATSError) -> [String] in
            var list = kvKeysList()
            var wopts = kvWatchOptions()
            _ = kvWatchOptions_Init(&wopts)
            wopts.Timeout = 2000
            let status = kvStore_Keys(&list, kv.pointer, &wopts)
            if status == NATS_NOT_FOUND { return [] }
            try check(status)
            defer { kvKeysList_Destroy(&list) }
            var out: [String] = []
            for i in 0..<Int(list.Count) { if let k = list.Keys[i] { out.append(String(cString: k)) } }
            return out.sorted()
        }
    }

    /// The current value of `key`, or nil when it does not exist (or was deleted).
    public func get(_ key: String) async throws(NATSError) -> Data? {
        let kv = JSPointer(pointer: self.kv)
        return try await JetStreamContext.blocking { () throws(NATSError) -> Data? in
            var entry: OpaquePointer?
            let status = kvStore_Get(&entry, kv.pointer, key)
            if status == NATS_NOT_FOUND { return nil }
            try check(status)
            guard let entry else { return nil }
            defer { kvEntry_Destroy(entry) }
            let n = Int(kvEntry_ValueLen(entry))
            guard n > 0, let p = kvEntry_Value(entry) else { return Data() }
            return Data(bytes: p, count: n)
        }
    }

    public func put(_ key: String, _ value: Data) async throws(NATSError) {
        let kv = JSPointer(pointer: self.kv)
        try await JetStreamContext.blocking { () throws(NATSError) in
            var rev: UInt64 = 0
            let status = value.withUnsafeBytes { kvStore_Put(&rev, kv.pointer, key, $0.baseAddress, Int32($0.count)) }
            try check(status)
        }
    }

    public func delete(_ key: String) async throws(NATSError) {
        let kv = JSPointer(pointer: self.kv)
        try await JetStreamContext.blocking { () throws(NATSError) in try check(kvStore_Delete(kv.pointer, key)) }
    }
}
