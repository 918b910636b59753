import EmbeddedNATS
import Foundation
import LatticeSpy
import NATSKit

/// A real nats-server on a free loopback port, and connections to it; `stop()` tears down.
final class SpyTestServer: @unchecked Sendable {
    let server: NATSServerProcess
    private var connections: [NATSConnection] = []
    private let lock = NSLock()

    init() throws {
        server = try NATSServerProcess()
    }

    func connect(_ name: String) async throws -> NATSConnection {
        let c = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url], name: name, ignoreDiscoveredServers: true))
        lock.withLock { connections.append(c) }
        return c
    }

    func stop() {
        for c in lock.withLock({ connections }) { c.close() }
        server.stop()
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(15), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

extension SpyWireMessage {
    /// An invocation on `{lattice}.{target}.wrpc.0.0.1.{instance}.{function}`.
    static func invocation(
        target: String, instance: String = "wasi:keyvalue/store@0.2.0-draft", function: String = "get",
        reply: String?, source: String? = "caller", link: String? = "default", payload: String = "key",
        at: ContinuousClock.Instant = .now, lattice: String = "default"
    ) -> SpyWireMessage {
        var headers: [String: String] = [:]
        headers["source-id"] = source
        headers["link-name"] = link
        return SpyWireMessage(subject: "\(lattice).\(target).wrpc.0.0.1.\(instance).\(function)", reply: reply,
                              headers: headers, payload: Data(payload.utf8), receivedAt: at)
    }
}
