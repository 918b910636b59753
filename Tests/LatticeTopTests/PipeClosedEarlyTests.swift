import EmbeddedNATS
import Foundation
import LatticeSim
import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// Every headless command with its stdout on a pipe whose reader goes away early (`| head`): it
/// stops, cleans up and exits with status 0 (as `git log | head` does), prints nothing about it,
/// and leaves no child process behind. The real binary, a real nats-server, the simulator.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct PipeClosedEarlyTests {
    /// What a closed pipe may leave on stderr: nothing, except the lines the command prints for the
    /// human anyway (`spy`'s "Spying on …" and, during a flood, its drop reports).
    static func unexpectedStderr(_ stderr: String, allowing prefixes: [String] = []) -> [Substring] {
        stderr.split(separator: "\n").filter { line in !prefixes.contains { line.hasPrefix($0) } }
    }

    /// Closes stdout and expects a quiet exit with status 0 within `within`.
    static func expectQuietEnd(_ p: PipedProcess, within: Duration = .seconds(10), allowing: [String] = [],
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let children = p.descendants()
        p.closeOutput()
        let status = p.waitForExit(within: within)
        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running after \(within)")", sourceLocation: sourceLocation)
        let stderr = p.stderr
        #expect(unexpectedStderr(stderr, allowing: allowing).isEmpty, "stderr:\n\(stderr)", sourceLocation: sourceLocation)
        for child in children {
            #expect(!PipedProcess.isAlive(child), "child process \(child) outlived latticetop", sourceLocation: sourceLocation)
        }
    }

    @Test func getCommandsEndQuietlyWhenTheReaderLeftBeforeTheyWrite() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        for args in [["get", "inventory", "-o", "json"], ["get", "hosts"], ["get", "links", "-o", "json"], ["get", "components"]] {
            // The reader is gone before the command has even connected: its first write fails with EPIPE.
            let p = try PipedProcess(args + ["--nats-url", f.server.url, "--timeout", "2000"])
            Self.expectQuietEnd(p)
        }
        // The same command with a reader prints everything (the pipe itself works).
        let whole = try PipedProcess(["get", "inventory", "-o", "json", "--nats-url", f.server.url, "--timeout", "2000"])
        whole.read(within: .seconds(20)) { _ in false }
        #expect(whole.waitForExit(within: .seconds(10)) == 0)
        #expect(String(decoding: whole.output, as: UTF8.self).contains("\"host_id\""))
    }

    @Test func recordEndsQuietlyWhenTheReaderLeftBeforeItWrites() async throws {
        try await LatticeFixture.using { f in
            for args in [["record"], ["record", "--status"]] {
                let p = try PipedProcess(args + ["--nats-url", f.server.url])
                Self.expectQuietEnd(p)
            }
            // The pipe itself works: with a reader, the status is printed.
            let whole = try PipedProcess(["record", "--status", "--nats-url", f.server.url])
            whole.read(within: .seconds(20)) { _ in false }
            #expect(whole.waitForExit(within: .seconds(10)) == 0)
            #expect(String(decoding: whole.output, as: UTF8.self).contains("LATTICETOP_EVENTS_default"))
        }
    }

    @Test func getEndsQuietlyWhenTheReaderLeavesMidOutput() async throws {
        // 300 components, 100 providers and 600 links: far more JSON than a pipe holds (64 KiB),
        // so the reader leaving after 200 bytes (`| head -c 200`) makes a later write fail.
        var configuration = SimulatorConfiguration.fast(hosts: 2)
        configuration.scale = ScaleWorkload(components: 300, providers: 100, links: 600)
        configuration.invocationsPerSecond = 0
        let f = try await LatticeFixture(configuration)
        defer { Task { await f.shutdown() } }
        let p = try PipedProcess(["get", "links", "-o", "json", "--nats-url", f.server.url, "--timeout", "5000"])
        #expect(p.read(within: .seconds(30)) { $0.count >= 200 })
        Self.expectQuietEnd(p)
    }

    @Test func eventsFollowingEndsWhenTheReaderLeaves() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        for format in ["text", "jsonl"] {
            let p = try PipedProcess(["events", "-o", format, "--nats-url", f.server.url])
            // It follows: the first heartbeat (every 2 s) arrives, then the reader goes.
            #expect(p.read(until: "\n", within: .seconds(20)), "no event line in \(format)")
            Self.expectQuietEnd(p)
        }
    }

    @Test func eventsOnAQuietLatticeEndsWhenTheReaderLeaves() throws {
        // Nothing is ever written: the reader's leaving is seen without a write (POLLERR on the pipe).
        let server = try TestServers.start()
        defer { server.stop() }
        let p = try PipedProcess(["events", "-o", "jsonl", "--nats-url", server.url])
        #expect(!p.read(until: "\n", within: .seconds(1)))
        #expect(p.waitForExit(within: .zero) == nil, "events must keep following a quiet lattice")
        Self.expectQuietEnd(p, within: .seconds(5))
    }

    @Test(arguments: ["jsonl", "text"])
    func spyDuringAFloodEndsQuietly(format: String) async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let flood = try await WRPCFlood(server: server)
        defer { flood.stop() }
        let p = try PipedProcess(["spy", "-o", format, "--hold-ms", "0", "--nats-url", server.url])
        // Flood once the spy has subscribed (it says so on stderr).
        try await TestServers.waitUntil("spy announces itself", timeout: .seconds(20)) { p.stderrSoFar.contains("Spying on every wRPC call") }
        flood.start()
        #expect(p.read(within: .seconds(30)) { $0.count >= 256 * 1024 }, "the flood reached stdout (\(p.output.count) bytes)")
        Self.expectQuietEnd(p, within: .seconds(5), allowing: ["Spying on every wRPC call", "latticetop: warning: "])
        #expect(flood.published > 0)
    }

    @Test func spyOnAQuietLatticeEndsWhenTheReaderLeaves() throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let p = try PipedProcess(["spy", "-o", "jsonl", "--nats-url", server.url])
        #expect(!p.read(until: "\n", within: .seconds(1)))
        Self.expectQuietEnd(p, within: .seconds(5), allowing: ["Spying on every wRPC call"])
    }

    @Test func simEndsAndStopsItsHostsWhenTheReaderLeaves() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let p = try PipedProcess(["sim", "--hosts", "2", "--nats-url", server.url])
        #expect(p.read(until: "  host ", within: .seconds(20)))
        Self.expectQuietEnd(p)
        // Its hosts said goodbye (host_stopped) or at least stopped answering: no host answers a ping.
        let check = try PipedProcess(["get", "hosts", "-o", "json", "--nats-url", server.url, "--timeout", "500"])
        check.read(within: .seconds(10)) { _ in false }
        #expect(check.waitForExit(within: .seconds(10)) == 0)
        #expect(String(decoding: check.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]"
                || String(decoding: check.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func demoHeadlessStopsItsNATSServerWhenTheReaderLeaves() throws {
        let p = try PipedProcess(["demo", "--headless", "--hosts", "1"])
        #expect(p.read(until: "Press Ctrl-C", within: .seconds(60)), "\(String(decoding: p.output, as: UTF8.self))")
        let children = p.descendants()
        #expect(!children.isEmpty, "the demo runs an embedded nats-server")
        Self.expectQuietEnd(p)
        for child in children { #expect(!PipedProcess.isAlive(child), "nats-server \(child) still runs") }
    }
}


/// wRPC-shaped invocations published as fast as one connection can, on a thread of its own, from
/// `start()` until `stop()` (or `limit` messages).
final class WRPCFlood: @unchecked Sendable {
    private let connection: NATSConnection
    private let running = Atomic<Bool>(true)
    private let count = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)
    let limit: Int?
    let subject: String

    init(server: NATSServerProcess, lattice: String = "default", limit: Int? = nil) async throws {
        connection = try await TestServers.connect(server, name: "flood")
        self.limit = limit
        subject = "\(lattice).flood-target.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle"
    }

    var published: Int { count.load(ordering: .relaxed) }

    func start() {
        Thread.detachNewThread { [self] in
            let payload = Data((0..<48).map { UInt8($0) })
            let headers = ["source-id": "flood-source", "link-name": "default"]
            var i = 0
            while running.load(ordering: .relaxed), limit.map({ i < $0 }) ?? true {
                guard (try? connection.publish(subject, payload: payload, reply: "_INBOX.flood.\(i)", headers: headers)) != nil else { break }
                i += 1
                count.store(i, ordering: .relaxed)
            }
            try? connection.flush(timeout: .seconds(30))
            finished.signal()
        }
    }

    /// Waits until `limit` messages are published and flushed.
    func waitUntilPublished(timeout: Duration) -> Bool {
        let (seconds, atto) = timeout.components
        return finished.wait(timeout: .now() + Double(seconds) + Double(atto) / 1e18) == .success
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        connection.close()
    }
}
