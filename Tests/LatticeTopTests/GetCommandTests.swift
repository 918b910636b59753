import EmbeddedNATS
import Foundation
import LatticeProtocol
import LatticeSim
import TerminalUI
import Testing

/// The real `latticetop` binary against the simulator: JSON with wire field names, tables, and
/// one clear line with a non-zero exit on failure.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct GetCommandTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func binary() throws -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("latticetop")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fallback = root.appendingPathComponent(".build/debug/latticetop")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: fallback.path])
        }
        return fallback
    }

    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = args
        // A clean environment: no wash variables or contexts from the machine running the tests.
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": FileManager.default.temporaryDirectory.path,
                   "WASH_CONTEXT_DIR": "/nonexistent-latticetop"]
        env.merge(environment) { _, new in new }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func inventoryJSONIsConsistentWithTheSimulatedLattice() async throws {
        try await LatticeFixture.using() { f in
            let r = try Self.run(["get", "inventory", "--output", "json", "--nats-url", f.server.url, "--timeout", "2000"])
            #expect(r.status == 0, "\(r.stderr)")
            let decoded = try JSONDecoder().decode([HostInventory].self, from: Data(r.stdout.utf8))
            let expected = await f.simulator.inventories().sorted { $0.hostID < $1.hostID }
            #expect(decoded.map(\.hostID) == expected.map(\.hostID))
            #expect(decoded.map { $0.components.map(\.id) } == expected.map { $0.components.map(\.id) })
            #expect(decoded.map { $0.providers.map(\.id) } == expected.map { $0.providers.map(\.id) })
            // Wire field names, not Swift ones.
            #expect(r.stdout.contains("\"host_id\""))
            #expect(r.stdout.contains("\"max_instances\""))
            #expect(!r.stdout.contains("hostID"))

            // Every provider in the inventory is also in heartbeats: the simulator's state is one.
            let providers = try Self.run(["get", "providers", "-o", "json", "--nats-url", f.server.url, "--timeout", "2000"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(providers.stdout.utf8)) as? [[String: Any]])
            #expect(rows.count == expected.reduce(0) { $0 + $1.providers.count })
            #expect(rows.allSatisfy { ($0["host_id"] as? String)?.hasPrefix("N") == true })
        }
    }

    @Test func tablesForEveryGetCommand() async throws {
        try await LatticeFixture.using() { f in
            let env = ["WASMCLOUD_CTL_PORT": String(f.server.port), "WASMCLOUD_CTL_TIMEOUT_MS": "2000"]
            let hosts = try Self.run(["get", "hosts"], environment: env)
            #expect(hosts.status == 0, "\(hosts.stderr)")
            #expect(hosts.stdout.hasPrefix("HOST ID"))
            for id in await f.simulator.hostIDs { #expect(hosts.stdout.contains(id)) }
            let links = try Self.run(["get", "links"], environment: env)
            #expect(links.stdout.contains("wasi:keyvalue/atomics,store"))
            let config = try Self.run(["get", "config", "rust_hello_world-default_http"], environment: env)
            #expect(config.stdout.contains("address") && config.stdout.contains("0.0.0.0:8080"))
            let components = try Self.run(["get", "components"], environment: env)
            #expect(components.stdout.contains("rust_hello_world-http_component"))
            #expect(components.stdout.contains("rust-hello-world"))
            let apps = try Self.run(["get", "apps"], environment: env)
            #expect(apps.stdout.contains("rust-http-kv") && apps.stdout.contains("deployed"))
            let missing = try Self.run(["get", "config", "nope"], environment: env)
            #expect(missing.status != 0)
            #expect(missing.stderr == "latticetop: error: refused: config nope not found\n")
        }
    }

    @Test func failuresPrintOneLineAndExitNonZero() throws {
        let port = try NATSServerProcess.freePort()
        let noServer = try Self.run(["get", "hosts", "--nats-url", "nats://127.0.0.1:\(port)", "--timeout", "500"])
        #expect(noServer.status == 1)
        #expect(noServer.stderr.hasPrefix("latticetop: error: no NATS server reachable at nats://127.0.0.1:\(port)"))
        #expect(noServer.stderr.split(separator: "\n").count == 1)
        #expect(noServer.stdout.isEmpty)

        let badLattice = try Self.run(["get", "hosts", "--lattice", "a.b"])
        #expect(badLattice.status == 1)
        #expect(badLattice.stderr.contains("invalid lattice name 'a.b'"))
    }

    @Test func refusedAuthorizationIsOneLine() async throws {
        let server = try NATSServerProcess(.init(config: "authorization { user: admin, password: s3cret }"))
        defer { server.stop() }
        let r = try Self.run(["get", "hosts", "--nats-url", server.url, "--user", "admin", "--password", "wrong", "--timeout", "500"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("latticetop: error: NATS authorization failed"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!r.stderr.contains("wrong"))
        let ok = try Self.run(["get", "hosts", "--nats-url", server.url, "--user", "admin", "--password", "s3cret", "--timeout", "300"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    /// A `host.get` that timed out is asked once more: the inventory is there, with no warning.
    @Test func aTimedOutHostGetIsAskedOnceMore() async throws {
        try await LatticeFixture.using() { f in
            let host = try #require(await f.simulator.runningHostIDs.first)
            let subject = f.client.subjects.hostGet(hostID: host)
            await f.simulator.setRule(.ignoreNext(1), for: .hostGet)
            let one = try Self.run(["get", "inventory", host, "-o", "json", "--nats-url", f.server.url, "--timeout", "1500"])
            #expect(one.status == 0, "\(one.stderr)")
            #expect(try JSONDecoder().decode(HostInventory.self, from: Data(one.stdout.utf8)).hostID == host)
            #expect(await f.simulator.reads(of: subject) == 2)

            // Every host's: the one whose request was ignored is listed too.
            await f.simulator.setRule(.ignoreNext(1), for: .hostGet)
            let all = try Self.run(["get", "inventory", "-o", "json", "--nats-url", f.server.url, "--timeout", "1500"])
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.stderr.isEmpty, "\(all.stderr)")
            let listed = try JSONDecoder().decode([HostInventory].self, from: Data(all.stdout.utf8)).map(\.hostID)
            #expect(listed == (await f.simulator.runningHostIDs).sorted())
        }
    }

    @Test func noRespondersForAHostIsOneLine() async throws {
        try await LatticeFixture.using() { f in
            let id = "NAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            let r = try Self.run(["get", "inventory", id, "--nats-url", f.server.url])
            #expect(r.status == 1)
            #expect(r.stderr == "latticetop: error: no responders on wasmbus.ctl.v1.default.host.get.\(id)\n")
        }
    }
}

/// `latticetop sim` as its own process, queried by `latticetop get` as another: the README's
/// resolution check for the core issue.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SimCommandTests {
    @Test func simProcessAnswersGetInventoryConsistently() async throws {
        let server = try NATSServerProcess(.init(jetStream: true))
        defer { server.stop() }
        let sim = Process()
        sim.executableURL = try GetCommandTests.binary()
        sim.arguments = ["sim", "--nats-url", server.url, "--hosts", "4", "--heartbeat-interval", "1"]
        let out = Pipe()
        sim.standardOutput = out
        sim.standardError = FileHandle.nullDevice
        try sim.run()
        defer { if sim.isRunning { sim.terminate(); sim.waitUntilExit() } }
        // It prints one line per host once it is up.
        var banner = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while banner.components(separatedBy: "  host ").count < 5, ContinuousClock.now < deadline {
            banner += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        let simHosts = banner.components(separatedBy: "\n").compactMap { line -> String? in
            line.hasPrefix("  host ") ? String(line.dropFirst(7)) : nil
        }
        #expect(simHosts.count == 4)

        let r = try GetCommandTests.run(["get", "inventory", "-o", "json", "--nats-url", server.url, "--timeout", "2000"])
        #expect(r.status == 0, "\(r.stderr)")
        let inventories = try JSONDecoder().decode([HostInventory].self, from: Data(r.stdout.utf8))
        #expect(Set(inventories.map(\.hostID)) == Set(simHosts))
        // Consistent: every provider and component appears once per host it runs on, and every
        // link's ends run somewhere.
        let links = try JSONDecoder().decode([Link].self, from: Data(try GetCommandTests.run(
            ["get", "links", "-o", "json", "--nats-url", server.url]).stdout.utf8))
        let running = Set(inventories.flatMap { $0.components.map(\.id) + $0.providers.map(\.id) })
        #expect(!links.isEmpty)
        for l in links { #expect(running.contains(l.sourceID) && running.contains(l.target), "\(l)") }

        sim.terminate()
        sim.waitUntilExit()
        let after = try GetCommandTests.run(["get", "hosts", "-o", "json", "--nats-url", server.url, "--timeout", "500"])
        #expect(try JSONDecoder().decode([HostInfo].self, from: Data(after.stdout.utf8)).isEmpty)
    }
}

/// `get hosts` and `get inventory` with `-o jsonl` print each host as its reply arrives, while
/// the gather window is still open (issue #14); the other `get` commands one line a row.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct GetStreamingTests {
    @Test func hostsAndInventoriesStreamWhileTheWindowIsOpen() async throws {
        try await LatticeFixture.using() { f in
            let ids = Set(await f.simulator.runningHostIDs)
            #expect(ids.count == 3)
            for kind in ["hosts", "inventory"] {
                let p = try PipedProcess(["get", kind, "-o", "jsonl", "--nats-url", f.server.url, "--timeout", "8000"])
                // The first line comes well before the 8 s window closes, and the command still runs then.
                #expect(p.read(within: .seconds(6)) { $0.contains(0x0A) }, "\(kind): \(p.stderrSoFar)")
                #expect(p.waitForExit(within: .zero) == nil, "\(kind) ended before its window closed")
                #expect(p.waitForExit(within: .seconds(30)) == 0, "\(kind): \(p.stderr)")
                p.read(within: .seconds(5)) { _ in false }
                let lines = String(decoding: p.output, as: UTF8.self).split(separator: "\n").map { Data($0.utf8) }
                let decoder = JSONDecoder()
                let listed = kind == "hosts" ? try lines.map { try decoder.decode(HostInfo.self, from: $0).id }
                    : try lines.map { try decoder.decode(HostInventory.self, from: $0).hostID }
                #expect(listed.count == 3, "\(kind): \(lines.count) lines")
                #expect(Set(listed) == ids)
            }
        }
    }

    @Test func jsonLinesFromAHostileLatticeCarryOnlyPlaceholders() async throws {
        var configuration = SimulatorConfiguration.fast()
        configuration.hostile = true
        try await LatticeFixture.using(configuration) { f in
            for kind in ["hosts", "inventory"] {
                let r = try GetCommandTests.run(["get", kind, "-o", "jsonl", "--nats-url", f.server.url])
                #expect(r.status == 0, "\(r.stderr)")
                let lines = r.stdout.split(separator: "\n")
                #expect(lines.count == 3)
                // Still JSON a line, the hostile host among them, with no unsafe scalar left.
                for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)") }
                #expect(r.stdout.contains("?"))
                let unsafe = r.stdout.unicodeScalars.filter { $0 != "\n" && TextSanitizer.isUnsafe($0) && !TextSanitizer.isEmojiGlue($0) }
                #expect(unsafe.isEmpty, "\(kind): unsafe scalars \(unsafe.map { String($0.value, radix: 16) })")
            }
        }
    }

    /// Each `get inventory -o jsonl` line (written directly, not by `JSONEncoder`) is the text
    /// `WireJSON` writes for the inventory it holds.
    @Test func inventoryLinesAreTheWireEncodersText() async throws {
        try await LatticeFixture.using() { f in
            let r = try GetCommandTests.run(["get", "inventory", "-o", "jsonl", "--nats-url", f.server.url])
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            for line in lines {
                let inventory = try JSONDecoder().decode(HostInventory.self, from: Data(line.utf8))
                #expect(!inventory.components.isEmpty || !inventory.providers.isEmpty)
                #expect(String(decoding: try WireJSON.encode(inventory), as: UTF8.self) == line)
            }
        }
    }

    @Test func otherGetCommandsPrintOneLineARow() async throws {
        try await LatticeFixture.using() { f in
            let links = try GetCommandTests.run(["get", "links", "-o", "jsonl", "--nats-url", f.server.url])
            #expect(links.status == 0, "\(links.stderr)")
            let rows = try links.stdout.split(separator: "\n").map { try JSONDecoder().decode(Link.self, from: Data($0.utf8)) }
            #expect(Set(rows.map(\.sourceID)) == Set(await f.simulator.links.map(\.sourceID)))
            #expect(rows.count == (await f.simulator.links).count)
        }
    }
}
