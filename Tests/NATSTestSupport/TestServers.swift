import EmbeddedNATS
import Foundation
import NATSKit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A condition that did not hold in time.
public struct TestTimeout: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Helpers that start real nats-server processes and wait for things without fixed sleeps.
public enum TestServers {
    /// Polls `condition` every `poll` until it holds or `timeout` passes; true when it held.
    public static func eventually(
        timeout: Duration = .seconds(10), poll: Duration = .milliseconds(20), _ condition: () async -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: poll)
        }
        return await condition()
    }

    /// Like `eventually`, but throws `TestTimeout` naming `what` when the condition never holds.
    public static func waitUntil(
        _ what: @autoclosure () -> String, timeout: Duration = .seconds(10), _ condition: () async -> Bool
    ) async throws {
        guard await eventually(timeout: timeout, condition) else {
            throw TestTimeout("timed out after \(timeout) waiting until \(what())")
        }
    }

    /// Options for a test client: fast reconnects, the given server list.
    public static func options(_ urls: [String], name: String = "test") -> NATSConnectionOptions {
        var o = NATSConnectionOptions(servers: urls, name: name)
        o.reconnectWait = .milliseconds(50)
        o.maxReconnectWait = .milliseconds(300)
        o.connectTimeout = .seconds(3)
        return o
    }

    /// A plain nats-server on a free loopback port (extra configuration text optional).
    public static func start(config: String = "", jetStream: Bool = false, monitor: Bool = false) throws -> NATSServerProcess {
        let monitorPort = monitor ? try NATSServerProcess.freePort() : nil
        return try NATSServerProcess(.init(config: config, jetStream: jetStream, monitorPort: monitorPort))
    }

    /// A test client connected to `server`.
    public static func connect(_ server: NATSServerProcess, name: String = "test") async throws -> NATSConnection {
        try await NATSConnection.connect(options([server.url], name: name))
    }

    /// The port in a URL such as `nats://127.0.0.1:4222` (nil when there is none).
    public static func port(of url: String) -> Int? {
        URLComponents(string: url.contains("://") ? url : "nats://" + url)?.port
    }

    /// GETs a monitoring endpoint and decodes its JSON object (nil when unreachable or not JSON).
    public static func monitoringJSON(_ url: String) -> [String: Any]? {
        guard let components = URLComponents(string: url), let port = components.port else { return nil }
        guard let body = httpGet(port: port, path: components.path.isEmpty ? "/" : components.path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    /// A minimal HTTP/1.0 GET to 127.0.0.1 (nats-server's monitoring), returning the body.
    static func httpGet(port: Int, path: String) -> Data? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        return response[split.upperBound...]
    }
}

// MARK: - Subscriptions

extension NATSSubscription {
    /// The messages waiting now, without waiting for more (empty when none).
    public func takePending() async -> [NATSMessage] {
        guard pending > 0 else { return [] }
        return await nextBatch() ?? []
    }

    /// The next batch, or nil when none arrives within `timeout` (or the subscription ended).
    /// It polls `pending` instead of racing a timer against `nextBatch()`, so no message is lost
    /// to a cancelled wait.
    public func awaitBatch(within timeout: Duration) async -> [NATSMessage]? {
        let ready = await TestServers.eventually(timeout: timeout, poll: .milliseconds(5)) { pending > 0 || !isActive }
        guard ready, pending > 0 else { return nil }
        return await nextBatch()
    }

    /// Collects messages until `count` have come or `timeout` passes; returns what came.
    public func awaitMessages(_ count: Int, within timeout: Duration) async -> [NATSMessage] {
        var out: [NATSMessage] = []
        let deadline = ContinuousClock.now + timeout
        while out.count < count {
            let left = deadline - ContinuousClock.now
            guard left > .zero, let batch = await awaitBatch(within: left) else { break }
            out += batch
        }
        return out
    }
}

/// Answers requests on a subject from its own subscription until stopped. `answer` returns the
/// reply payload, or nil to stay silent.
public final class Responder: Sendable {
    public let subscription: NATSSubscription
    private let task: Task<Void, Never>

    public init(
        _ connection: NATSConnection, subject: String, queue: String? = nil,
        answer: @escaping @Sendable (NATSMessage) -> Data?
    ) throws {
        let sub = try connection.subscribe(subject, queue: queue)
        subscription = sub
        task = Task {
            for await batch in sub {
                for m in batch {
                    guard let reply = m.reply, let payload = answer(m) else { continue }
                    try? connection.publish(reply, payload: payload)
                }
            }
        }
        try connection.flush()
    }

    /// An echo responder: replies with `prefix` + the request payload.
    public static func echo(_ connection: NATSConnection, subject: String, prefix: String = "") throws -> Responder {
        try Responder(connection, subject: subject) { Data(prefix.utf8) + $0.data }
    }

    public func stop() {
        subscription.unsubscribe()
        task.cancel()
    }

    deinit { stop() }
}

// MARK: - Connection states

/// Records every state a connection publishes on `states()`.
public final class StateRecorder: Sendable {
    private final class Log: Sendable {
        let states = Mutex<[NATSConnectionState]>([])
        let finished = Mutex(false)
    }

    private let log = Log()
    private let task: Task<Void, Never>

    public init(_ connection: NATSConnection) {
        let stream = connection.states()
        task = Task { [log] in
            for await s in stream { log.states.withLock { $0.append(s) } }
            log.finished.withLock { $0 = true }
        }
    }

    deinit { task.cancel() }

    /// Everything recorded so far, first the state current when recording began.
    public var states: [NATSConnectionState] { log.states.withLock { $0 } }

    /// True once the stream has finished (the connection closed).
    public var finished: Bool { log.finished.withLock { $0 } }

    /// Waits until a recorded state matches.
    public func waitFor(
        timeout: Duration = .seconds(10), _ match: @escaping (NATSConnectionState) -> Bool
    ) async -> Bool {
        await TestServers.eventually(timeout: timeout) { states.contains(where: match) }
    }

    /// The states recorded after the first `.connected`, i.e. what a loss looked like.
    public var afterFirstConnect: [NATSConnectionState] {
        let all = states
        guard let i = all.firstIndex(where: \.isConnected) else { return [] }
        return Array(all[(i + 1)...])
    }
}

// MARK: - TLS

/// A throw-away certificate authority with a server certificate (SAN IP:127.0.0.1 and
/// DNS:localhost) and a client certificate, made by `openssl` in a temporary directory, plus an
/// unrelated second CA.
public struct TestCertificates: Sendable {
    public let directory: URL
    public var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public var serverCert: String { directory.appendingPathComponent("server.pem").path }
    public var serverKey: String { directory.appendingPathComponent("server-key.pem").path }
    public var clientCert: String { directory.appendingPathComponent("client.pem").path }
    public var clientKey: String { directory.appendingPathComponent("client-key.pem").path }
    /// A second, unrelated CA (to show that a wrong CA is refused).
    public var otherCAFile: String { directory.appendingPathComponent("other-ca.pem").path }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let d = directory.path
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
            .write(toFile: "\(d)/server.ext", atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n"
            .write(toFile: "\(d)/client.ext", atomically: true, encoding: .utf8)
        // EC keys: much quicker to make than RSA on a loaded machine.
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, cn) in [("ca", "latticetop test CA"), ("other-ca", "some other CA")] {
            try Self.openssl(["req", "-x509"] + newKey + ["-keyout", "\(d)/\(name)-key.pem", "-out", "\(d)/\(name).pem",
                              "-days", "2", "-subj", "/CN=\(cn)",
                              "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        for (name, cn) in [("server", "localhost"), ("client", "latticetop client")] {
            try Self.openssl(["req"] + newKey + ["-keyout", "\(d)/\(name)-key.pem", "-out", "\(d)/\(name).csr", "-subj", "/CN=\(cn)"])
            try Self.openssl(["x509", "-req", "-in", "\(d)/\(name).csr", "-CA", "\(d)/ca.pem", "-CAkey", "\(d)/ca-key.pem",
                              "-CAcreateserial", "-out", "\(d)/\(name).pem", "-days", "2", "-extfile", "\(d)/\(name).ext"])
        }
    }

    /// nats-server's `tls { }` block with these certificates; `verify` requires client certificates.
    public func serverTLSBlock(verify: Bool) -> String {
        """
        tls {
          cert_file: "\(serverCert)"
          key_file: "\(serverKey)"
          ca_file: "\(caFile)"
          verify: \(verify)
          timeout: 3
        }
        """
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static func openssl(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl"] + args
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "openssl \(args.first ?? "") failed: \(text)") }
    }
}

// MARK: - Cluster

/// nats-server processes routed into one cluster on loopback: each node has its own client,
/// cluster and monitoring port, and every node lists every cluster port in its routes.
public final class TestCluster: Sendable {
    public let nodes: [NATSServerProcess]
    public let clusterPorts: [Int]
    public var urls: [String] { nodes.map(\.url) }

    /// With `jetStream`, every node runs JetStream with its own store (a JetStream cluster).
    public init(size: Int = 3, config: String = "", jetStream: Bool = false) throws {
        let ports = try NATSServerProcess.freePorts(size * 3)
        let clientPorts = Array(ports[0..<size])
        let clusterPorts = Array(ports[size..<(2 * size)])
        let monitorPorts = Array(ports[(2 * size)...])
        let routes = clusterPorts.map { "nats-route://127.0.0.1:\($0)" }.joined(separator: ", ")
        let name = "latticetop-test-\(UUID().uuidString.prefix(6))"
        var nodes: [NATSServerProcess] = []
        do {
            for i in 0..<size {
                let nodeConfig = """
                    server_name: node\(i)
                    cluster {
                      name: \(name)
                      listen: 127.0.0.1:\(clusterPorts[i])
                      routes: [\(routes)]
                    }
                    \(config)
                    """
                nodes.append(try NATSServerProcess(.init(port: clientPorts[i], config: nodeConfig, jetStream: jetStream,
                                                         monitorPort: monitorPorts[i])))
            }
        } catch {
            nodes.forEach { $0.stop() }
            throw error
        }
        self.nodes = nodes
        self.clusterPorts = clusterPorts
    }

    /// The node whose client URL is `url` (as a connection reports it).
    public func node(for url: String?) -> NATSServerProcess? {
        guard let url, let port = TestServers.port(of: url) else { return nil }
        return nodes.first { $0.port == port }
    }

    /// Each node's route count from its monitoring `/routez` (nil when it does not answer).
    public func routeCounts() -> [Int?] {
        nodes.map { node in
            guard let m = node.monitorURL, let json = TestServers.monitoringJSON(m + "/routez") else { return nil }
            return json["num_routes"] as? Int
        }
    }

    /// Waits until every node has a route to every other (monitoring `/routez`) and a message
    /// published on the first node reaches a subscriber on the last one.
    public func waitForRoutes(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        let full = nodes.count - 1
        try await TestServers.waitUntil("every node has \(full) routes (now \(routeCounts()))", timeout: timeout) {
            routeCounts().allSatisfy { ($0 ?? -1) >= full }
        }
        let first = try await NATSConnection.connect(TestServers.options([nodes[0].url], name: "route-check-a"))
        let last = try await NATSConnection.connect(TestServers.options([nodes[full].url], name: "route-check-c"))
        defer { first.close(); last.close() }
        let sub = try last.subscribe("route.check")
        try last.flush()
        while ContinuousClock.now < deadline {
            try first.publish("route.check", payload: Data("x".utf8))
            try first.flush()
            if await sub.awaitBatch(within: .milliseconds(200)) != nil { return }
        }
        throw TestTimeout("no message from node0 reached node\(full) within \(timeout)")
    }

    /// Stops every node that is still running.
    public func stop() {
        nodes.forEach { $0.stop() }
    }
}
