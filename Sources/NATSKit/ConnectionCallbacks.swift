import CNATS
import Foundation
import Synchronization

/// State shared with cnats' connection callbacks: the listeners of connection states, the
/// reconnect back-off and the credentials the signature callbacks need. Passed to cnats as an
/// unmanaged pointer and kept alive by the connection that owns it.
final class ConnectionCallbacks: Sendable {
    struct State {
        var current: NATSConnectionState = .connecting
        var listeners: [UInt64: AsyncStream<NATSConnectionState>.Continuation] = [:]
        var nextID: UInt64 = 0
        var reconnects = 0
        /// The server of the last `.connected`, named again in the `.disconnected` that follows.
        var lastServer: String?
    }

    let options: NATSConnectionOptions
    let nkey: NKey?
    let jwt: String?
    private let state = Mutex(State())
    /// Listeners whose streams ended, to be dropped from `State.listeners` the next time it is
    /// locked. A stream's termination handler may run while Swift holds its consuming task's
    /// lock (the task cancelled), and `handle` yields — which takes that task's lock — while it
    /// holds `state`: taking `state` in the handler would deadlock, this lock never waits.
    private let ended = Mutex<[UInt64]>([])

    init(options: NATSConnectionOptions, nkey: NKey?, jwt: String?) {
        self.options = options
        self.nkey = nkey
        self.jwt = jwt
    }

    var current: NATSConnectionState { state.withLock { $0.current } }
    var reconnects: Int { state.withLock { $0.reconnects } }

    /// cnats reports a loss on two threads: the disconnected callback is posted to its callback
    /// thread, while the reconnect back-off callback runs at once on the reconnect thread, so the
    /// back-off can come first. States are published in their logical order whatever the thread
    /// timing: a loss is always `.disconnected` (naming the server that was lost), then
    /// `.reconnecting(attempt:)` for each wait, then `.connected`; nothing follows `.closed`.
    enum Event {
        /// `natsConnection_Connect` returned connected.
        case initialConnect(server: String)
        /// The connected callback (first connection made in the background) or the reconnected one.
        case connected(server: String, isReconnect: Bool)
        case disconnected
        case waiting(attempt: Int)
        case closed
    }

    func handle(_ event: Event) {
        let (changes, listeners) = state.withLock { s -> ([NATSConnectionState], [AsyncStream<NATSConnectionState>.Continuation]) in
            dropEnded(&s)
            var changes: [NATSConnectionState] = []
            if s.current == .closed { return ([], []) }
            switch event {
            case .initialConnect(let server):
                // A loss may already have been reported by the callbacks; then this is stale.
                guard s.current == .connecting else { break }
                s.lastServer = server
                changes.append(.connected(server: server))
            case .connected(let server, let isReconnect):
                if isReconnect { s.reconnects += 1 }
                s.lastServer = server
                changes.append(.connected(server: server))
            case .disconnected:
                switch s.current {
                case .disconnected, .reconnecting:
                    break  // already reported by the back-off callback
                default:
                    changes.append(.disconnected(server: s.lastServer))
                }
            case .waiting(let attempt):
                if case .connected = s.current { changes.append(.disconnected(server: s.lastServer)) }
                changes.append(.reconnecting(attempt: attempt))
            case .closed:
                changes.append(.closed)
            }
            if let last = changes.last { s.current = last }
            // Yielded under the lock so that listeners see the changes of both cnats threads in
            // one order (finishing, which runs the termination handlers, waits for the unlock).
            let listeners = Array(s.listeners.values)
            for change in changes { for l in listeners { l.yield(change) } }
            return (changes, listeners)
        }
        if changes.last == .closed { for l in listeners { l.finish() } }
    }

    func stream() -> AsyncStream<NATSConnectionState> {
        let (stream, continuation) = AsyncStream<NATSConnectionState>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let current = state.withLock { s -> NATSConnectionState in
            dropEnded(&s)
            let id = s.nextID
            s.nextID += 1
            continuation.onTermination = { [weak self] _ in
                self?.ended.withLock { $0.append(id) }
            }
            s.listeners[id] = continuation
            continuation.yield(s.current)
            return s.current
        }
        if current == .closed { continuation.finish() }
        return stream
    }

    /// Drops the listeners whose streams ended (`ended`), under `state`'s lock.
    private func dropEnded(_ s: inout State) {
        for id in ended.withLock({ ids in defer { ids = [] }; return ids }) { s.listeners.removeValue(forKey: id) }
    }

    /// How many listeners are kept (tests).
    var listenerCount: Int { state.withLock { s in dropEnded(&s); return s.listeners.count } }

    func finishAll() {
        let listeners = state.withLock { s -> [AsyncStream<NATSConnectionState>.Continuation] in
            defer { s.listeners = [:] }
            return Array(s.listeners.values)
        }
        for l in listeners { l.finish() }
    }

    var unmanaged: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ p: UnsafeMutableRawPointer?) -> ConnectionCallbacks? {
        guard let p else { return nil }
        return Unmanaged<ConnectionCallbacks>.fromOpaque(p).takeUnretainedValue()
    }
}

/// The URL of the server `nc` is connected to, without any user/password cnats keeps in it
/// (it must be safe to show); "" when not connected.
func connectedURL(_ nc: OpaquePointer?) -> String {
    guard let nc else { return "" }
    var buffer = [CChar](repeating: 0, count: 512)
    guard natsConnection_GetConnectedUrl(nc, &buffer, buffer.count) == NATS_OK else { return "" }
    return redactedURL(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
}

/// `scheme://user:password@host:port` → `scheme://host:port`.
func redactedURL(_ url: String) -> String {
    guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards, range: scheme.upperBound..<url.endIndex)
    else { return url }
    return String(url[..<scheme.upperBound]) + String(url[at.upperBound...])
}

let onConnected: natsConnectionHandler = { nc, closure in
    ConnectionCallbacks.from(closure)?.handle(.connected(server: connectedURL(nc), isReconnect: false))
}

let onReconnected: natsConnectionHandler = { nc, closure in
    ConnectionCallbacks.from(closure)?.handle(.connected(server: connectedURL(nc), isReconnect: true))
}

let onDisconnected: natsConnectionHandler = { _, closure in
    ConnectionCallbacks.from(closure)?.handle(.disconnected)
}

/// The last callback cnats makes for a connection: it also drops the retain taken at connect.
let onClosed: natsConnectionHandler = { _, closure in
    guard let closure else { return }
    let callbacks = Unmanaged<ConnectionCallbacks>.fromOpaque(closure).takeRetainedValue()
    callbacks.handle(.closed)
    callbacks.finishAll()
}

let onReconnectDelay: natsCustomReconnectDelayHandler = { _, attempts, closure in
    guard let callbacks = ConnectionCallbacks.from(closure) else { return 1000 }
    let attempt = Int(attempts)
    callbacks.handle(.waiting(attempt: attempt))
    let base = callbacks.options.backoff(attempt: attempt).milliseconds
    let jitter = Int64.random(in: 0...max(1, base / 5))
    return base + jitter
}

/// Signs the server's nonce with the configured NKey (NKey-only and JWT authentication).
let onSign: natsSignatureHandler = { _, signature, signatureLength, nonce, closure in
    guard let callbacks = ConnectionCallbacks.from(closure), let key = callbacks.nkey, let nonce else {
        return NATS_ERR
    }
    let sig = key.sign(Data(String(cString: nonce).utf8))
    guard let buffer = malloc(sig.count)?.assumingMemoryBound(to: UInt8.self) else { return NATS_NO_MEMORY }
    sig.copyBytes(to: buffer, count: sig.count)
    signature?.pointee = buffer
    signatureLength?.pointee = Int32(sig.count)
    return NATS_OK
}

/// Hands cnats the user JWT (JWT authentication).
let onUserJWT: natsUserJWTHandler = { userJWT, _, closure in
    guard let callbacks = ConnectionCallbacks.from(closure), let jwt = callbacks.jwt else { return NATS_ERR }
    userJWT?.pointee = strdup(jwt)
    return NATS_OK
}

let onSubscriptionMessage: natsMsgHandler = { _, _, msg, closure in
    guard let msg, let closure else { return }
    let buffer = Unmanaged<MessageBatchBuffer>.fromOpaque(closure).takeUnretainedValue()
    buffer.push(NATSMessage(taking: msg))
}

let onSubscriptionComplete: natsOnCompleteCB = { closure in
    guard let closure else { return }
    let buffer = Unmanaged<MessageBatchBuffer>.fromOpaque(closure).takeRetainedValue()
    buffer.close()
}
