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
        var connection: OpaquePointer?
    }

    let options: NATSConnectionOptions
    let nkey: NKey?
    let jwt: String?
    private let state = Mutex(State())

    init(options: NATSConnectionOptions, nkey: NKey?, jwt: String?) {
        self.options = options
        self.nkey = nkey
        self.jwt = jwt
    }

    var current: NATSConnectionState { state.withLock { $0.current } }
    var reconnects: Int { state.withLock { $0.reconnects } }

    func publish(_ new: NATSConnectionState) {
        let listeners = state.withLock { s -> [AsyncStream<NATSConnectionState>.Continuation] in
            if case .connected = new, case .reconnecting = s.current { s.reconnects += 1 }
            if case .connected = new, case .disconnected = s.current { s.reconnects += 1 }
            s.current = new
            return Array(s.listeners.values)
        }
        for l in listeners { l.yield(new) }
        if new == .closed { for l in listeners { l.finish() } }
    }

    func stream() -> AsyncStream<NATSConnectionState> {
        let (stream, continuation) = AsyncStream<NATSConnectionState>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let (id, current) = state.withLock { s -> (UInt64, NATSConnectionState) in
            let id = s.nextID
            s.nextID += 1
            s.listeners[id] = continuation
            return (id, s.current)
        }
        continuation.yield(current)
        if current == .closed { continuation.finish() }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

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

func connectedURL(_ nc: OpaquePointer?) -> String {
    guard let nc else { return "" }
    var buffer = [CChar](repeating: 0, count: 512)
    guard natsConnection_GetConnectedUrl(nc, &buffer, buffer.count) == NATS_OK else { return "" }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

let onConnected: natsConnectionHandler = { nc, closure in
    ConnectionCallbacks.from(closure)?.publish(.connected(server: connectedURL(nc)))
}

let onReconnected: natsConnectionHandler = { nc, closure in
    ConnectionCallbacks.from(closure)?.publish(.connected(server: connectedURL(nc)))
}

let onDisconnected: natsConnectionHandler = { nc, closure in
    let url = connectedURL(nc)
    ConnectionCallbacks.from(closure)?.publish(.disconnected(server: url.isEmpty ? nil : url))
}

/// The last callback cnats makes for a connection: it also drops the retain taken at connect.
let onClosed: natsConnectionHandler = { _, closure in
    guard let closure else { return }
    let callbacks = Unmanaged<ConnectionCallbacks>.fromOpaque(closure).takeRetainedValue()
    callbacks.publish(.closed)
    callbacks.finishAll()
}

let onReconnectDelay: natsCustomReconnectDelayHandler = { _, attempts, closure in
    guard let callbacks = ConnectionCallbacks.from(closure) else { return 1000 }
    let attempt = Int(attempts)
    callbacks.publish(.reconnecting(attempt: attempt))
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
