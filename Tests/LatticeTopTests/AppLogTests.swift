import Foundation
import LatticeMonitor
import Logging
import NATSKit
import NATSTestSupport
import Testing
@testable import LatticeTop

/// The debug log behind `--log-level`: a file of its own (never the terminal), off by default.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct AppLogTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-log-\(UUID().uuidString)/state/latticetop.log").path
    }

    @Test func offByDefaultWritesNothing() throws {
        let log = try AppLog.open(level: nil, path: Self.temporaryPath(), environment: [:])
        #expect(log.file == nil)
        log.logger("x").critical("nothing")
    }

    @Test func levelFromTheEnvironmentAndDefaultPathUnderXDGState() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-xdg-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let log = try AppLog.open(level: nil, path: nil, environment: ["LATTICETOP_LOG_LEVEL": "debug", "XDG_STATE_HOME": state])
        #expect(log.level == .debug)
        #expect(log.file?.path == state + "/latticetop/latticetop.log")
        // Log lines can name hosts and lattices: the file is the user's alone.
        let mode = try FileManager.default.attributesOfItem(atPath: state + "/latticetop/latticetop.log")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func unknownLevelIsAClearError() {
        #expect(throws: LogFileError.self) { try AppLog.open(level: "loud", path: Self.temporaryPath(), environment: [:]) }
        do { _ = try AppLog.open(level: "loud", path: Self.temporaryPath(), environment: [:]) } catch {
            #expect("\(error)".contains("unknown log level 'loud'"))
            #expect("\(error)".contains("debug"))
        }
    }

    @Test func linesBelowTheLevelAreNotWrittenAndMetadataIsKept() throws {
        let path = Self.temporaryPath()
        let log = try AppLog.open(level: "info", path: path, environment: [:])
        var logger = log.logger("latticetop.test")
        logger[metadataKey: "lattice"] = "default"
        logger.debug("hidden detail")
        logger.info("shown", metadata: ["host": "N1"])
        logger.error("failure")
        log.file?.flush()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix("INFO [latticetop.test] shown host=N1 lattice=default"))
        #expect(lines[1].contains("ERROR [latticetop.test] failure"))
        #expect(!lines.joined().contains("hidden detail"))
    }

    /// The monitor logs what it sees on a real server: the connection, and a malformed event with its reason.
    @Test func monitorLogsConnectionAndMalformedMessages() async throws {
        let path = Self.temporaryPath()
        let log = try AppLog.open(level: "debug", path: path, environment: [:])
        let f = try await LatticeFixture(startSimulator: false)
        do {
            let monitor = LatticeMonitor(client: f.client, configuration: MonitorConfiguration(eventsOnly: true),
                                         logger: log.logger("latticetop.monitor"))
            try await monitor.start()
            try f.connection.publish("wasmbus.evt.default.host_heartbeat", payload: Data("not json".utf8))
            try f.connection.flush()
            try await TestServers.waitUntil("the malformed message is logged") {
                log.file?.flush()
                return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("malformed message on wasmbus.evt.default.host_heartbeat")
            }
            await monitor.stop()
        } catch {
            await f.shutdown()
            throw error
        }
        await f.shutdown()
        log.file?.flush()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("WARNING [latticetop.monitor] malformed message on wasmbus.evt.default.host_heartbeat: "))
    }
}
