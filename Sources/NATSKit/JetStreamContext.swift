import CNATS
import Foundation

/// What the JetStream wrappers (`NATSKeyValue`, `NATSStreams`) share: making a JetStream context
/// for a connection and domain, and running cnats' blocking calls off the caller's thread.
enum JetStreamContext {
    /// A new `jsCtx` (the caller destroys it with `jsCtx_Destroy`); `timeout` bounds each API request.
    static func make(_ connection: NATSConnection, domain: String?, timeout: Duration) throws(NATSError) -> OpaquePointer {
        var opts = jsOptions()
        try check(jsOptions_Init(&opts))
        opts.Wait = timeout.milliseconds
        let domainCString = domain.map { strdup($0) }
        defer { if let d = domainCString { free(d) } }
        if let d = domainCString { opts.Domain = UnsafePointer(d) }
        var js: OpaquePointer?
        try check(natsConnection_JetStream(&js, connection.nc.pointer, &opts))
        guard let js else { throw .status(code: -1, detail: "no JetStream context") }
        return js
    }

    /// Runs a blocking cnats call on a dispatch queue.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(NATSError) -> T) async throws(NATSError) -> T {
        let result: Result<T, NATSError> = await withCheckedContinuation { c in
            DispatchQueue.global().async {
                do throws(NATSError) { c.resume(returning: .success(try body())) } catch { c.resume(returning: .failure(error)) }
            }
        }
        return try result.get()
    }
}

/// A cnats JetStream pointer (context or key-value store) handed to a blocking call; cnats'
/// JetStream objects are thread-safe.
struct JSPointer: @unchecked Sendable {
    let pointer: OpaquePointer
}
