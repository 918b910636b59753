import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `nats-server` child process on a loopback port: the demo's embedded server and the
/// tests' server. Stopped (SIGTERM, then SIGKILL) by `stop()` or when released, and sent SIGTERM when
/// this process ends any other way (`exit`, a signal, a crash: see `ChildProcessGuard`).
public final class NATSServerProcess: @unchecked Sendable {
    public struct Options: Sendable {
        /// Port to listen on; nil picks a free loopback port.
        public var port: Int?
        /// Extra nats-server configuration text (authorization, tls, cluster blocks …).
        public var config: String
        /// Turn on JetStream with a private store directory.
        public var jetStream: Bool
        /// Extra command-line arguments.
        public var arguments: [String]
        /// How long to wait for the port to accept connections.
        public var startTimeout: Duration
        /// Monitoring HTTP port (`-m`); nil for none.
        public var monitorPort: Int?

        public init(port: Int? = nil, config: String = "", jetStream: Bool = false, arguments: [String] = [],
                    startTimeout: Duration = .seconds(10), monitorPort: Int? = nil) {
            self.port = port
            self.config = config
            self.jetStream = jetStream
            self.arguments = arguments
            self.startTimeout = startTimeout
            self.monitorPort = monitorPort
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case didNotStart(String)

        public var description: String {
            switch self {
            case .notInstalled:
                return "nats-server is not installed (apt-get install -y nats-server, or set LATTICETOP_NATS_SERVER)"
            case .didNotStart(let log): return "nats-server did not start: \(log)"
            }
        }
    }

    public let options: Options
    public let port: Int
    public let directory: URL
    private let lock = NSLock()
    private var process: Process?

    public var url: String { "nats://127.0.0.1:\(port)" }
    /// The monitoring endpoint (`http://127.0.0.1:<monitorPort>`) when `Options.monitorPort` is set.
    public var monitorURL: String? { options.monitorPort.map { "http://127.0.0.1:\($0)" } }
    public var logFile: URL { directory.appendingPathComponent("nats-server.log") }
    public var pid: Int32? { lock.withLock { process?.processIdentifier } }

    public init(_ options: Options = Options()) throws {
        self.options = options
        self.port = try options.port ?? Self.freePort()
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("latticetop-nats-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Finds the nats-server binary: `$LATTICETOP_NATS_SERVER`, then `PATH`, then the usual places.
    public static func binary() -> String? {
        if let env = ProcessInfo.processInfo.environment["LATTICETOP_NATS_SERVER"], !env.isEmpty { return env }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        for dir in dirs {
            let candidate = dir + "/nats-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// (Re)starts the server on the same port, with the same configuration and store.
    public func start() throws {
        guard let binary = Self.binary() else { throw Failure.notInstalled }
        let configFile = directory.appendingPathComponent("nats.conf")
        var config = options.config
        if options.jetStream {
            config += "\njetstream { store_dir: \"\(directory.appendingPathComponent("js").path)\" }\n"
        }
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        var args = ["-c", configFile.path, "-a", "127.0.0.1", "-p", String(port), "-l", logFile.path]
        if let m = options.monitorPort { args += ["-m", String(m)] }
        p.arguments = args + options.arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        ChildProcessGuard.register(p.processIdentifier)
        lock.withLock { process = p }
        let deadline = ContinuousClock.now + options.startTimeout
        while ContinuousClock.now < deadline {
            if !p.isRunning { break }
            if Self.accepts(port: port) { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        stop()
        throw Failure.didNotStart(String(log.suffix(2000)))
    }

    /// Stops the server gracefully (SIGTERM, SIGKILL after 3 s) and waits for it to exit.
    public func stop() {
        guard let p = lock.withLock({ () -> Process? in defer { process = nil }; return process }) else { return }
        defer { ChildProcessGuard.unregister(p.processIdentifier) }
        guard p.isRunning else { return }
        kill(p.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(3)
        while p.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    public func kill9() {
        guard let p = lock.withLock({ () -> Process? in defer { process = nil }; return process }) else { return }
        defer { ChildProcessGuard.unregister(p.processIdentifier) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    public var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() throws -> Int {
        try freePorts(1)[0]
    }

    /// `count` distinct TCP ports on 127.0.0.1 that nothing listens on right now (all held open
    /// until all are found, so they differ). They are picked below the kernel's ephemeral port
    /// range when it leaves room, so that no outgoing connection (a client retrying a stopped
    /// server, say) is given the port before the server binds it or binds it again.
    public static func freePorts(_ count: Int) throws -> [Int] {
        var held: [Int32] = []
        defer { held.forEach { _ = close($0) } }
        var ports: [Int] = []
        let low = 10_000
        let high = ephemeralRangeStart() - 1
        if high - low >= 1_000 {
            var tries = 0
            while ports.count < count && tries < 500 {
                tries += 1
                let candidate = Int.random(in: low...high)
                if ports.contains(candidate) { continue }
                if let fd = boundSocket(port: candidate) {
                    held.append(fd)
                    ports.append(candidate)
                }
            }
        }
        while ports.count < count {
            guard let fd = boundSocket(port: 0) else { throw Failure.didNotStart("bind() failed") }
            held.append(fd)
            var addr = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            ports.append(Int(UInt16(bigEndian: addr.sin_port)))
        }
        return ports
    }

    /// The first port of the kernel's ephemeral (outgoing) range; 32768 when unknown.
    static func ephemeralRangeStart() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
              let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
              let value = Int(first)
        else { return 32_768 }
        return value
    }

    /// A TCP socket bound to 127.0.0.1:`port` (0: any), or nil when that port is taken.
    private static func boundSocket(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
