import CNATS
import Foundation
import Synchronization

/// One connection to a NATS server or cluster, over cnats. cnats reconnects by itself (forever,
/// with the back-off in the options); `states()` tells what it is doing.
public final class NATSConnection: Sendable {
    let nc: ConnectionPointer
    private let callbacks: ConnectionCallbacks
    /// Every request's reply subscription (one for the connection).
    private let requests = RequestMux()
    public let options: NATSConnectionOptions

    private init(nc: ConnectionPointer, callbacks: ConnectionCallbacks, options: NATSConnectionOptions) {
        self.nc = nc
        self.callbacks = callbacks
        self.options = options
    }

    deinit {
        natsConnection_Destroy(nc.pointer)
    }

    /// Connects without blocking the caller's thread (cnats' connect blocks, so it runs on a
    /// dispatch queue).
    public static func connect(_ options: NATSConnectionOptions) async throws(NATSError) -> NATSConnection {
        let result: Result<NATSConnection, NATSError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(NATSError) {
                    continuation.resume(returning: .success(try connectBlocking(options)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Connects on the calling thread.
    public static func connectBlocking(_ options: NATSConnectionOptions) throws(NATSError) -> NATSConnection {
        guard !options.servers.isEmpty else { throw .invalidArgument("no NATS server URL given") }
        var nkey: NKey?
        if let seed = options.nkeySeed { nkey = try NKey(seed: readSecret(seed)) }
        var jwt: String?
        if let j = options.jwt { jwt = try readSecret(j).trimmingCharacters(in: .whitespacesAndNewlines) }
        if jwt != nil && nkey == nil { throw .invalidArgument("a JWT needs an NKey seed to sign with") }

        let callbacks = ConnectionCallbacks(options: options, nkey: nkey, jwt: jwt)
        let opts = try makeOptions(options, callbacks: callbacks, nkey: nkey, jwt: jwt)
        defer { natsOptions_Destroy(opts) }

        // cnats calls back until the connection is closed; onClosed drops this retain.
        let retained = Unmanaged.passRetained(callbacks)
        var nc: OpaquePointer?
        let status = natsConnection_Connect(&nc, opts)
        guard let nc, status == NATS_OK || status == NATS_NOT_YET_CONNECTED else {
            var error = NATSError.from(status, servers: options.servers)
            // With TLS 1.3 the client's handshake completes before the server checks the client
            // certificate; a refusal then shows as the connection ending before the first PONG.
            if wantsTLS(options), status == NATS_PROTOCOL_ERROR, case .status(_, let detail) = error, detail.contains("got ''") {
                error = .tls(detail: "the server ended the connection right after the TLS handshake: it requires a client "
                    + "certificate or refused the one given (\(detail))")
            }
            if let nc { natsConnection_Destroy(nc) } else { retained.release() }
            throw error
        }
        if status == NATS_OK { callbacks.handle(.initialConnect(server: connectedURL(nc))) }
        return NATSConnection(nc: ConnectionPointer(pointer: nc), callbacks: callbacks, options: options)
    }

    private static func readSecret(_ value: String) throws(NATSError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("~") || trimmed.hasPrefix(".") {
            let path = (trimmed as NSString).expandingTildeInPath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .invalidArgument("cannot read \(path)")
            }
            return text
        }
        return trimmed
    }

    private static func makeOptions(
        _ options: NATSConnectionOptions, callbacks: ConnectionCallbacks, nkey: NKey?, jwt: String?
    ) throws(NATSError) -> OpaquePointer {
        var opts: OpaquePointer?
        try check(natsOptions_Create(&opts))
        guard let opts else { throw .status(code: -1, detail: "natsOptions_Create failed") }
        do throws(NATSError) {
            var cStrings = options.servers.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            try cStrings.withUnsafeMutableBufferPointer { buf throws(NATSError) in
                try buf.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { p throws(NATSError) in
                    try check(natsOptions_SetServers(opts, p, Int32(buf.count)))
                }
            }
            if let name = options.name { try check(natsOptions_SetName(opts, name)) }
            if let user = options.user { try check(natsOptions_SetUserInfo(opts, user, options.password ?? "")) }
            if let token = options.token { try check(natsOptions_SetToken(opts, token)) }
            if let file = options.credentialsFile {
                let path = (file as NSString).expandingTildeInPath
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw .invalidArgument("cannot read credentials file \(path)")
                }
                try check(natsOptions_SetUserCredentialsFromFiles(opts, path, nil))
            } else if let nkey {
                let closure = callbacks.unmanaged
                if jwt != nil {
                    try check(natsOptions_SetUserCredentialsCallbacks(opts, onUserJWT, closure, onSign, closure))
                } else {
                    try check(natsOptions_SetNKey(opts, nkey.publicKey, onSign, closure))
                }
            }
            if wantsTLS(options) {
                try check(natsOptions_SetSecure(opts, true))
                if let ca = options.tlsCAFile { try tls(natsOptions_LoadCATrustedCertificates(opts, ca), "CA file \(ca)") }
                if let cert = options.tlsCertFile {
                    guard let key = options.tlsKeyFile else { throw .invalidArgument("--tls-cert needs --tls-key") }
                    try tls(natsOptions_LoadCertificatesChain(opts, cert, key), "certificate \(cert) / key \(key)")
                }
                if let host = verifiableHostname(options.servers) {
                    try check(natsOptions_SetExpectedHostname(opts, host))
                }
            }
            try check(natsOptions_SetTimeout(opts, options.connectTimeout.milliseconds))
            try check(natsOptions_SetAllowReconnect(opts, true))
            try check(natsOptions_SetMaxReconnect(opts, -1))
            try check(natsOptions_SetReconnectWait(opts, options.reconnectWait.milliseconds))
            try check(natsOptions_SetCustomReconnectDelay(opts, onReconnectDelay, callbacks.unmanaged))
            try check(natsOptions_SetReconnectBufSize(opts, 8 * 1024 * 1024))
            try check(natsOptions_SetPingInterval(opts, options.pingInterval.milliseconds))
            try check(natsOptions_SetMaxPingsOut(opts, 2))
            try check(natsOptions_SetDisconnectedCB(opts, onDisconnected, callbacks.unmanaged))
            try check(natsOptions_SetReconnectedCB(opts, onReconnected, callbacks.unmanaged))
            try check(natsOptions_SetClosedCB(opts, onClosed, callbacks.unmanaged))
            if options.ignoreDiscoveredServers { try check(natsOptions_SetIgnoreDiscoveredServers(opts, true)) }
            if options.globalMessageDelivery { try check(natsOptions_UseGlobalMessageDelivery(opts, true)) }
            if options.servers.count > 1 { try check(natsOptions_SetNoRandomize(opts, false)) }
            if options.retryOnFailedConnect {
                try check(natsOptions_SetRetryOnFailedConnect(opts, true, onConnected, callbacks.unmanaged))
            }
            return opts
        } catch {
            natsOptions_Destroy(opts)
            throw error
        }
    }

    private static func wantsTLS(_ options: NATSConnectionOptions) -> Bool {
        options.tlsRequired || options.tlsCAFile != nil || options.tlsCertFile != nil
            || options.servers.contains { $0.lowercased().hasPrefix("tls://") }
    }

    private static func tls(_ status: natsStatus, _ what: String) throws(NATSError) {
        if status != NATS_OK { throw .tls(detail: "cannot load \(what): \(NATSError.lastErrorText(status))") }
    }

    /// The host name to check the server certificate against, when all URLs name one by DNS.
    private static func verifiableHostname(_ servers: [String]) -> String? {
        let hosts = Set(servers.compactMap { URLComponents(string: $0.contains("://") ? $0 : "nats://" + $0)?.host })
        guard hosts.count == 1, let host = hosts.first else { return nil }
        let isIP = host.contains(":") || host.split(separator: ".").allSatisfy { Int($0) != nil }
        return isIP ? nil : host
    }

    // MARK: - State

    /// The current state followed by every change, until the connection closes.
    public func states() -> AsyncStream<NATSConnectionState> { callbacks.stream() }

    public var state: NATSConnectionState { callbacks.current }

    /// How many times the connection came back after a loss.
    public var reconnectCount: Int { callbacks.reconnects }

    /// The URL of the server currently connected to, if any.
    public var connectedServer: String? {
        let url = connectedURL(nc.pointer)
        return url.isEmpty ? nil : url
    }

    /// Round-trip time to the server (a PING/PONG). Nil when not connected.
    public func rtt() -> Duration? {
        var ns: Int64 = 0
        guard natsConnection_GetRTT(nc.pointer, &ns) == NATS_OK else { return nil }
        return .nanoseconds(ns)
    }

    public var maxPayload: Int { Int(natsConnection_GetMaxPayload(nc.pointer)) }

    public func flush(timeout: Duration = .seconds(2)) throws(NATSError) {
        try check(natsConnection_FlushTimeout(nc.pointer, timeout.milliseconds))
    }

    /// Closes the connection; subscriptions end and `states()` finish. `state` is `.closed` on
    /// return (cnats' own closed callback comes later, on its callback thread).
    public func close() {
        natsConnection_Close(nc.pointer)
        callbacks.handle(.closed)
    }

    public var isClosed: Bool { natsConnection_IsClosed(nc.pointer) }

    // MARK: - Publish

    public func newInbox() -> String {
        var inbox: UnsafeMutablePointer<natsInbox>?
        guard natsInbox_Create(&inbox) == NATS_OK, let inbox else {
            return "_INBOX." + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        }
        defer { natsInbox_Destroy(inbox) }
        return String(cString: inbox)
    }

    public func publish(
        _ subject: String, payload: Data = Data(), reply: String? = nil, headers: [String: String] = [:]
    ) throws(NATSError) {
        if headers.isEmpty {
            let status = payload.withUnsafeBytes { buf in
                if let reply {
                    return natsConnection_PublishRequest(nc.pointer, subject, reply, buf.baseAddress, Int32(buf.count))
                }
                return natsConnection_Publish(nc.pointer, subject, buf.baseAddress, Int32(buf.count))
            }
            try check(status, subject: subject)
            return
        }
        var msg: OpaquePointer?
        let created = payload.withUnsafeBytes { buf in
            natsMsg_Create(&msg, subject, reply, buf.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buf.count))
        }
        try check(created, subject: subject)
        guard let msg else { throw .status(code: -1, detail: "natsMsg_Create failed") }
        defer { natsMsg_Destroy(msg) }
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { try check(natsMsgHeader_Add(msg, k, v)) }
        try check(natsConnection_PublishMsg(nc.pointer, msg), subject: subject)
    }

    // MARK: - Subscribe

    /// Subscribes to `subject` (optionally in a queue group). Messages beyond `bufferLimit`
    /// waiting for the consumer are dropped and counted in `dropped`.
    public func subscribe(_ subject: String, queue: String? = nil, bufferLimit: Int = 65_536) throws(NATSError) -> NATSSubscription {
        let buffer = MessageBatchBuffer(capacity: bufferLimit)
        let sub = try subscribe(subject, queue: queue, delivering: buffer, onComplete: onSubscriptionComplete)
        return NATSSubscription(subject: subject, queue: queue, buffer: buffer, sub: sub)
    }

    /// Subscribes to `subject` with each message handed to `direct` on the cnats thread as it
    /// arrives (nil when the subscription ends): for routing that must not wait for a task.
    func subscribe(_ subject: String, direct: @escaping @Sendable (NATSMessage?) -> Void) throws(NATSError) -> NATSSubscription {
        let buffer = MessageBatchBuffer(capacity: 1 << 20, direct: direct)
        let sub = try subscribe(subject, queue: nil, delivering: buffer, onComplete: onSubscriptionComplete)
        return NATSSubscription(subject: subject, queue: nil, buffer: buffer, sub: sub)
    }

    /// Subscribes to `subject` (optionally in a queue group) with its messages going into
    /// `group`'s shared buffer. Subscribing a subject the group has already replaces it.
    public func subscribe(_ subject: String, queue: String? = nil, into group: NATSSubscriptionGroup) throws(NATSError) {
        let sub = try subscribe(subject, queue: queue, delivering: group.buffer, onComplete: onGroupSubscriptionComplete)
        group.add(subject, sub: sub)
    }

    /// The cnats subscription delivering into `buffer` (retained for cnats; released if
    /// subscribing fails, else by `onComplete` once cnats is done with it).
    private func subscribe(_ subject: String, queue: String?, delivering buffer: MessageBatchBuffer,
                           onComplete: natsOnCompleteCB) throws(NATSError) -> OpaquePointer {
        let retained = Unmanaged.passRetained(buffer)
        var sub: OpaquePointer?
        let status: natsStatus
        if let queue {
            status = natsConnection_QueueSubscribe(&sub, nc.pointer, subject, queue, onSubscriptionMessage, retained.toOpaque())
        } else {
            status = natsConnection_Subscribe(&sub, nc.pointer, subject, onSubscriptionMessage, retained.toOpaque())
        }
        guard status == NATS_OK, let sub else {
            retained.release()
            throw NATSError.from(status, subject: subject)
        }
        // From here on the completion callback owns the retain.
        if natsSubscription_SetOnCompleteCB(sub, onComplete, retained.toOpaque()) != NATS_OK {
            // Without a completion callback we cannot know when cnats is done with the buffer: keep it.
        }
        // Let our own buffer be the bound; cnats' default (65536 msgs / 64 MiB) stays as a second line.
        _ = natsSubscription_SetPendingLimits(sub, Int32(clamping: max(buffer.capacity, 65_536)), 256 * 1024 * 1024)
        return sub
    }

    // MARK: - Request

    /// Sends a request and waits for the first reply (over the connection's one reply
    /// subscription: `RequestMux`). With `resends`, a request not answered within `timeout` is
    /// sent again (up to `resends` times) to the same reply subject, and the first reply to any
    /// of them ends it: a late reply to an earlier send still counts (a responder busy with a
    /// burst answers the first send late, and its answer to a second one would come later still).
    /// Every request's timeout is kept by one timer shared by the connection's requests.
    public func request(
        _ subject: String, payload: Data = Data(), headers: [String: String] = [:], timeout: Duration, resends: Int = 0
    ) async throws(NATSError) -> NATSMessage {
        let (token, inbox) = try requests.reserve(on: self)
        do throws(NATSError) {
            try publish(subject, payload: payload, reply: inbox, headers: headers)
        } catch {
            requests.finish(token, with: nil)
            _ = await requests.wait(token)
            throw error
        }
        armResends(token, subject: subject, payload: payload, inbox: inbox, headers: headers, timeout: timeout, resends: resends)
        return try outcome(await requests.wait(token), subject: subject).get()
    }

    /// Sends a request and hands its outcome to `completion`, without a task: on the cnats
    /// thread that delivers the reply, or on the shared timer's queue when it times out (as
    /// `request(…)` does, with `resends`). For many requests at once (a `host.get` per host of a
    /// big lattice): no task, timer or subscription a request. A failure to send is thrown, and
    /// `completion` is then never called.
    public func request(
        _ subject: String, payload: Data = Data(), headers: [String: String] = [:], timeout: Duration, resends: Int = 0,
        completion: @escaping @Sendable (Result<NATSMessage, NATSError>) -> Void
    ) throws(NATSError) {
        let (token, inbox) = try requests.reserve(on: self) { [weak self] reply in
            guard let self else { return completion(.failure(.closed)) }
            completion(self.outcome(reply, subject: subject))
        }
        do throws(NATSError) {
            try publish(subject, payload: payload, reply: inbox, headers: headers)
        } catch {
            requests.forget(token)
            throw error
        }
        armResends(token, subject: subject, payload: payload, inbox: inbox, headers: headers, timeout: timeout, resends: resends)
    }

    private func armResends(_ token: UInt64, subject: String, payload: Data, inbox: String, headers: [String: String],
                            timeout: Duration, resends: Int) {
        guard resends > 0 else { return requests.arm(token, timeout: timeout) }
        requests.arm(token, timeout: timeout, resends: resends) { [weak self] in
            try? self?.publish(subject, payload: payload, reply: inbox, headers: headers)
        }
    }

    /// A request's reply, or why there is none.
    private func outcome(_ reply: NATSMessage?, subject: String) -> Result<NATSMessage, NATSError> {
        guard let reply else { return .failure(isClosed ? .closed : .timeout) }
        if reply.isNoResponders { return .failure(.noResponders(subject: subject)) }
        return .success(reply)
    }

    /// Requests in flight and deadlines held by the shared timer (for tests).
    var requestsInFlight: (requests: Int, deadlines: Int) { requests.inFlight }

    /// Dispatch timers the requests of this connection have made (for tests: one).
    var requestTimersMade: Int { requests.timersMade }

    /// Sends a request and yields every reply as it arrives, until `window` has passed,
    /// `expected` replies have come, or an empty reply ends the gathering (as wasmCloud's client
    /// does). A "no responders" status ends it at once.
    public func scatterGather(
        _ subject: String, payload: Data = Data(), headers: [String: String] = [:],
        window: Duration, expected: Int? = nil
    ) throws(NATSError) -> AsyncStream<NATSMessage> {
        let inbox = newInbox()
        let sub = try subscribe(inbox, bufferLimit: 100_000)
        try send(subject, payload: payload, headers: headers, gatheringInto: sub, inbox: inbox, for: window)
        return AsyncStream { continuation in
            let task = Task {
                var count = 0
                gather: while let batch = await sub.nextBatch() {
                    for message in batch {
                        if message.isNoResponders || message.payloadCount == 0 { break gather }
                        continuation.yield(message)
                        count += 1
                        if let expected, count >= expected { break gather }
                    }
                }
                sub.unsubscribe()
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                sub.unsubscribe()
            }
        }
    }

    /// Sends a scatter-gather request whose replies `sub` (on `inbox`) gathers, and ends `sub`
    /// after `window`; ends it at once when the request cannot be sent.
    private func send(_ subject: String, payload: Data, headers: [String: String], gatheringInto sub: NATSSubscription,
                      inbox: String, for window: Duration) throws(NATSError) {
        do throws(NATSError) {
            try publish(subject, payload: payload, reply: inbox, headers: headers)
        } catch {
            sub.unsubscribe()
            throw error
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + window.timeInterval) { [weak sub] in sub?.unsubscribe() }
    }

    /// Sends a request and hands every reply to `onReply` on the cnats thread as it arrives (no
    /// task in between), until `window` has passed or an empty reply or a "no responders" status
    /// ends the gathering; then `onReply(nil)`, once. A reply racing the window's end may still
    /// come after that nil: ignore it. Unsubscribe the returned subscription to stop early.
    public func scatterGather(
        _ subject: String, payload: Data = Data(), headers: [String: String] = [:], window: Duration,
        onReply: @escaping @Sendable (NATSMessage?) -> Void
    ) throws(NATSError) -> NATSSubscription {
        let inbox = newInbox()
        // The subscription, for its own callback to end it (let go when it ends: no cycle left).
        let handle = SubscriptionSlot()
        let sub = try subscribe(inbox, direct: { message in
            guard let message else {
                handle.set(nil)
                return onReply(nil)
            }
            if message.isNoResponders || message.payloadCount == 0 {
                handle.get()?.unsubscribe()
                return
            }
            onReply(message)
        })
        handle.set(sub)
        try send(subject, payload: payload, headers: headers, gatheringInto: sub, inbox: inbox, for: window)
        return sub
    }
}

/// A subscription held for its own delivery callback.
private final class SubscriptionSlot: Sendable {
    private let slot = Mutex<NATSSubscription?>(nil)
    func get() -> NATSSubscription? { slot.withLock { $0 } }
    func set(_ sub: NATSSubscription?) { slot.withLock { $0 = sub } }
}

/// The cnats connection pointer; cnats connections are thread-safe.
struct ConnectionPointer: @unchecked Sendable {
    let pointer: OpaquePointer
}

extension Duration {
    var timeInterval: TimeInterval {
        let (s, atto) = components
        return TimeInterval(s) + TimeInterval(atto) / 1e18
    }
}
