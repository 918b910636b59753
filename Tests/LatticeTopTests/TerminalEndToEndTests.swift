import EmbeddedNATS
import Foundation
import Testing

/// The real `latticetop` binary in a real terminal (tmux) against `latticetop sim` on a real
/// nats-server: what a user sees and types, from start-up to quitting. Each test has its own
/// nats-server, simulator and tmux server (`tmux -L <unique>`), all stopped at the end; screens are
/// polled (`capture-pane -p`) until what is expected appears, never waited for with fixed sleeps.
@Suite(.timeLimit(.minutes(3)))
struct TerminalEndToEndTests {
    // MARK: Start-up and navigation

    @Test func startUpShowsTheSimulatedHostsAndPanesNavigate() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 40)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)

        let screen = try await term.waitFor("Hosts (3)")
        for id in lattice.hostIDs {
            #expect(screen.contains(String(id.prefix(12))), "host \(id) is not on the screen:\n\(screen)")
            #expect(screen.contains(try #require(lattice.names[id])), "host name of \(id) is not on the screen:\n\(screen)")
        }
        #expect(screen.contains("● live"))
        #expect(screen.contains("hosts 3"), "the header counts the hosts:\n\(screen)")
        #expect(screen.contains("1 Hosts") && screen.contains("8 Spy"), "the pane tabs are shown:\n\(screen)")

        try term.keys("3")
        try await term.waitFor("Providers (4)")
        try term.keys("Tab")
        try await term.waitFor("Links (4)")
        try term.keys("BTab")
        try await term.waitFor("Providers (4)")
        try term.keys("1")
        try await term.waitFor("Hosts (3)")
        try term.type(":links")
        try await term.waitFor(":links▏")
        try term.keys("Enter")
        let links = try await term.waitFor("Links (4)")
        #expect(links.contains("rust_http_kv-counter"), "\(links)")
        // `tab` completes a command (to the longest common prefix of `provider` and `providers`).
        try term.type(":prov")
        try term.keys("Tab")
        try await term.waitFor(":provider▏")
        try term.keys("Enter")
        let providers = try await term.waitFor("Providers (4)")
        #expect(providers.contains("rust_http_kv-kvredis"), "\(providers)")
        try term.type("2")
        try await term.waitFor("Components (5)")
    }

    // MARK: Filter

    @Test func filterKeepsMatchingRowsInvertsWithBangAndEscClears() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 40)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        try await term.waitFor("Hosts (3)")

        let (first, others) = (lattice.hostIDs[0], Array(lattice.hostIDs.dropFirst()))
        let prefix = String(first.prefix(12))
        // Rows narrow while typing; enter keeps the filter.
        try term.type("/" + prefix.lowercased())
        try await term.waitFor("Hosts (1)")
        try term.keys("Enter")
        var screen = try await term.waitFor("Hosts (1) /\(prefix.lowercased())")
        #expect(TmuxTerminal.rows(screen).contains { $0.contains(prefix) }, "\(screen)")
        for id in others { #expect(!screen.contains(String(id.prefix(12))), "\(id) should be filtered out:\n\(screen)") }
        // esc in normal mode clears a kept filter.
        try term.keys("Escape")
        try await term.waitFor("Hosts (3)")

        // `!` inverts.
        try term.type("/!" + prefix)
        try term.keys("Enter")
        screen = try await term.waitFor("Hosts (2) /!\(prefix)")
        #expect(!TmuxTerminal.rows(screen).contains { $0.contains(prefix) }, "\(prefix) should be filtered out:\n\(screen)")
        for id in others { #expect(screen.contains(String(id.prefix(12))), "\(id) should be shown:\n\(screen)") }
        try term.keys("Escape")
        try await term.waitFor("Hosts (3)")

        // A regular expression over the row's text; esc while typing drops the filter.
        try term.type("/tier=c.re")
        screen = try await term.waitFor("Hosts (2) /tier=c.re")
        #expect(!TmuxTerminal.rows(screen).contains { $0.contains(prefix) }, "the edge host should be filtered out:\n\(screen)")
        try term.keys("Escape")
        screen = try await term.waitFor("Hosts (3)")
        #expect(!screen.contains("/tier"), "\(screen)")
    }

    // MARK: Drill-down, help, raw JSON

    @Test func drillDownHelpAndRawJSON() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 40)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        try await term.waitFor("Hosts (3)")

        // The first simulated host runs the hello-world component and its HTTP server.
        let first = lattice.hostIDs[0]
        let name = try #require(lattice.names[first])
        try term.type("/" + name)
        try term.keys("Enter")
        try await term.waitFor("Hosts (1) /\(name)")
        try term.keys("Enter")
        // (The list's filter stays with the list: the drill-down shows everything on the host.)
        var screen = try await term.waitFor("Host \(name) \(first.prefix(12))")
        let rows = TmuxTerminal.rows(screen).dropFirst()  // the column titles
        #expect(rows.count == 2, "\(screen)")
        #expect(rows.contains { $0.hasPrefix("│component rust_hello_world-http") && $0.contains("http-hello-world") }, "\(screen)")
        #expect(rows.contains { $0.hasPrefix("│provider  rust_hello_world-http") && $0.contains("HTTP Server") }, "\(screen)")
        #expect(!screen.contains("messaging") && !screen.contains("counter"), "another host's workload in the drill-down:\n\(screen)")
        try term.keys("Escape")
        screen = try await term.waitFor("Hosts (1) /\(name)")
        try term.keys("Escape")
        try await term.waitFor("Hosts (3)")

        // `?`: the help for this pane, from the key table; esc closes it.
        try term.keys("?")
        screen = try await term.waitFor("Help — keys for Hosts")
        #expect(screen.contains("quit") && screen.contains(":providers") && screen.contains("raw JSON"), "\(screen)")
        try term.keys("Escape")
        try await term.waitFor("Hosts (3)")

        // `y`: the selected host's inventory with wire field names.
        try term.keys("y")
        screen = try await term.waitFor("\"host_id\"")
        #expect(screen.contains("Raw — "), "\(screen)")
        #expect(screen.contains("\"friendly_name\""), "\(screen)")
        try term.keys("Escape")
        try await term.waitFor("Hosts (3)")

        // A provider's health history, and back.
        try term.keys("3")
        try await term.waitFor("Providers (4)")
        try term.type("/kvredis")
        try term.keys("Enter")
        try await term.waitFor("Providers (1) /kvredis")
        try term.keys("Enter")
        screen = try await term.waitFor("health inspector")
        #expect(screen.contains("Provider rust_http_kv-kvredis on \(lattice.names[lattice.hostIDs[2]] ?? "?")"), "\(screen)")
        #expect(screen.contains("wash stop provider"), "\(screen)")
        try term.keys("Escape")
        try await term.waitFor("Providers (1) /kvredis")
    }

    // MARK: Resize

    @Test func resizeRedrawsAtTheNewSizeAndSaysWhenTooSmall() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 40)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        var screen = try await term.waitFor("Hosts (3)")
        #expect(TmuxTerminal.borderWidth(screen) == 160, "\(screen)")

        try term.tmux("resize-window", "-t", TmuxTerminal.session, "-x", "100", "-y", "30")
        screen = try await term.waitUntil("the dashboard redrawn at 100×30") {
            TmuxTerminal.borderWidth($0) == 100 && $0.contains("Hosts (3)")
        }
        let lines = screen.components(separatedBy: "\n")
        #expect(lines.count >= 30, "\(screen)")
        #expect(lines.allSatisfy { $0.count <= 100 }, "a line is wider than the terminal:\n\(screen)")
        #expect(lines[29].hasPrefix("<1-8> panes"), "the hint bar is the last line:\n\(screen)")
        for id in lattice.hostIDs { #expect(screen.contains(String(id.prefix(12))), "\(screen)") }

        try term.tmux("resize-window", "-t", TmuxTerminal.session, "-x", "30", "-y", "6")
        screen = try await term.waitFor("too small")
        #expect(!screen.contains("Hosts ("), "\(screen)")

        try term.tmux("resize-window", "-t", TmuxTerminal.session, "-x", "120", "-y", "35")
        screen = try await term.waitUntil("the dashboard back at 120×35") {
            TmuxTerminal.borderWidth($0) == 120 && $0.contains("Hosts (3)") && !$0.contains("too small")
        }
    }

    // MARK: Leaving

    @Test func quitWithQRestoresTheTerminal() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 120, height: 35)
        defer { term.kill() }
        try await term.startShell()
        let before = try term.paneFlags()

        try term.type(term.wrapped(lattice.dashboardCommand))
        try term.keys("Enter")
        try await term.waitFor("Hosts (3)")
        #expect(try term.paneFlags()["alternate_on"] == "1", "the dashboard runs on the alternate screen")

        try term.keys("q")
        try await term.waitFor("EXITED:0")
        let screen = try await term.waitFor("STTY-SAVED")
        try term.assertRestored(screen: screen, flagsBefore: before)
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 120, height: 35)
        defer { term.kill() }
        try await term.startShell()
        let before = try term.paneFlags()

        try term.type(term.wrapped(lattice.dashboardCommand))
        try term.keys("Enter")
        try await term.waitFor("Hosts (3)")
        let shell = try #require(Int32(try term.tmux("display-message", "-p", "-t", TmuxTerminal.session, "#{pane_pid}")
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let app = try #require(TmuxTerminal.child(of: shell, named: "latticetop"), "no latticetop process under the pane's shell")
        #expect(kill(app, SIGTERM) == 0)

        // The process still ends by SIGTERM (128 + 15), after giving the terminal back.
        try await term.waitFor("EXITED:143")
        let screen = try await term.waitFor("STTY-SAVED")
        try term.assertRestored(screen: screen, flagsBefore: before)
    }
}

// MARK: - Support

/// A failure with what was on the screen, so a failed wait explains itself.
struct TerminalTestFailure: Error, CustomStringConvertible {
    let description: String
}

/// nats-server plus `latticetop sim` as a separate process, with the hosts it simulates.
final class SimulatedLattice: @unchecked Sendable {
    let server: NATSServerProcess
    let sim: pid_t
    let directory: URL
    /// In the simulator's order (the first runs the hello-world app, the last the key-value provider).
    let hostIDs: [String]
    /// Friendly names by host ID, as `latticetop get hosts -o json` reports them.
    let names: [String: String]
    let binary: URL

    var dashboardCommand: String { "'\(binary.path)' --nats-url '\(server.url)'" }

    private init(server: NATSServerProcess, sim: pid_t, directory: URL, hostIDs: [String], names: [String: String], binary: URL) {
        self.server = server
        self.sim = sim
        self.directory = directory
        self.hostIDs = hostIDs
        self.names = names
        self.binary = binary
    }

    static func start(hosts: Int = 3) async throws -> SimulatedLattice {
        let binary = try GetCommandTests.binary()
        let server = try NATSServerProcess(.init(jetStream: true))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-e2e-sim-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("sim.out")
        let sim = try CleanSpawn.start(
            [binary.path, "sim", "--nats-url", server.url, "--hosts", String(hosts), "--heartbeat-interval", "2",
             "--health-interval", "2", "--rate", "2"],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path,
                          "WASH_CONTEXT_DIR": "/nonexistent-latticetop"],
            stdout: output.path, stderr: directory.appendingPathComponent("sim.err").path)
        func fail(_ message: String) -> TerminalTestFailure {
            CleanSpawn.stop(sim)
            server.stop()
            try? FileManager.default.removeItem(at: directory)
            return TerminalTestFailure(description: message)
        }

        // `  host <ID>` per host once it is up.
        var ids: [String] = []
        var text = ""
        let deadline = ContinuousClock.now + .seconds(40)
        while ids.count < hosts {
            text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            ids = text.components(separatedBy: "\n").compactMap { line in
                line.hasPrefix("  host ") ? String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
            }.filter { $0.count == 56 }
            if ids.count >= hosts { break }
            guard CleanSpawn.isRunning(sim), ContinuousClock.now < deadline else {
                throw fail("latticetop sim did not report \(hosts) hosts; stdout: \(text)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }

        let r = try GetCommandTests.run(["get", "hosts", "-o", "json", "--nats-url", server.url, "--timeout", "3000"])
        let rows = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [[String: Any]] ?? []
        var names: [String: String] = [:]
        for row in rows { if let id = row["id"] as? String, let name = row["friendly_name"] as? String { names[id] = name } }
        guard Set(names.keys) == Set(ids) else {
            throw fail("get hosts does not list the simulated hosts \(ids): \(r.stdout) \(r.stderr)")
        }
        return SimulatedLattice(server: server, sim: sim, directory: directory, hostIDs: ids, names: names, binary: binary)
    }

    func stop() {
        CleanSpawn.stop(sim)
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// One tmux server of its own (`tmux -L <unique socket>`) with one window, a clean environment,
/// no status line (the pane is the whole window) and a UTF-8, 256-colour terminal.
final class TmuxTerminal: @unchecked Sendable {
    static let session = "e2e"
    let socket = "latticetop-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let directory: URL
    let width: Int
    let height: Int
    private let environment: [String: String]

    init(width: Int, height: Int) throws {
        self.width = width
        self.height = height
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path, "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
            "WASH_CONTEXT_DIR": "/nonexistent-latticetop", "LANG": "C.UTF-8", "TERM": "xterm-256color",
        ]
        try """
            set -g status off
            set -g default-terminal tmux-256color
            set -g remain-on-exit on
            set -g history-limit 1000
            """.write(to: directory.appendingPathComponent("tmux.conf"), atomically: true, encoding: .utf8)
    }

    /// Runs a tmux command on this test's server; throws when it fails.
    @discardableResult
    func tmux(_ args: String...) throws -> String { try tmux(args) }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let r = try CleanSpawn.run(["tmux", "-u", "-L", socket, "-f", directory.appendingPathComponent("tmux.conf").path] + args,
                                   environment: environment, scratch: directory)
        guard r.status == 0 else {
            throw TerminalTestFailure(description: "tmux \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
        }
        return r.stdout
    }

    /// Starts the session with `command` as the pane's program.
    func start(_ command: String) throws {
        try tmux("new-session", "-d", "-s", Self.session, "-x", String(width), "-y", String(height), command)
    }

    /// Starts the session with an interactive shell (prompt `$ `) and waits for its prompt.
    func startShell() async throws {
        try start("PS1='$ ' exec bash --norc --noprofile -i")
        try await waitUntil("the shell prompt") { $0.split(separator: "\n").last?.hasPrefix("$") == true }
    }

    /// `command` with the terminal settings saved before and after it and its exit status shown.
    func wrapped(_ command: String) -> String {
        let dir = directory.path
        return "stty -a > '\(dir)/stty-before'; \(command); echo EXITED:$?; stty -a > '\(dir)/stty-after'; printf 'STTY%s\\n' -SAVED"
    }

    /// What the pane shows, as text (no attributes, trailing spaces trimmed).
    func screen() throws -> String { try tmux("capture-pane", "-p", "-t", Self.session) }

    /// tmux key names (`Enter`, `Escape`, `Tab`, `BTab`, `BSpace` …) or single characters.
    func keys(_ names: String...) throws { try tmux(["send-keys", "-t", Self.session] + names) }

    /// Literal text, typed.
    func type(_ text: String) throws { try tmux("send-keys", "-t", Self.session, "-l", text) }

    /// Polls the screen until it shows `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitUntil("\"\(text)\" on the screen", timeout: timeout) { $0.contains(text) }
    }

    /// Polls the screen until `condition` holds on a settled screen (curses writes a frame in
    /// pieces, and a capture can catch half of one): the same text twice in a row, or the
    /// condition holding on four captures in a row for a screen that keeps changing. Fails with the
    /// last screen otherwise.
    @discardableResult
    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        var holding = 0
        while true {
            let previous = last
            last = try screen()
            if condition(last) {
                holding += 1
                if (holding >= 2 && last == previous) || holding >= 4 { return last }
            } else {
                holding = 0
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(holding > 0 ? 60 : 100))
        }
        throw TerminalTestFailure(description: "timed out after \(timeout) waiting for \(what); the screen:\n\(last)")
    }

    /// Pane modes the application may change and must put back.
    func paneFlags() throws -> [String: String] {
        let names = ["alternate_on", "cursor_flag", "keypad_cursor_flag", "keypad_flag", "mouse_any_flag", "insert_flag",
                     "origin_flag", "wrap_flag"]
        let values = try tmux("display-message", "-p", "-t", Self.session, names.map { "#{\($0)}" }.joined(separator: " "))
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(names, values))
    }

    /// After the dashboard ended: the normal screen with the shell's output, the same pane modes
    /// and the same terminal settings as before it started.
    func assertRestored(screen: String, flagsBefore: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let flags = try paneFlags()
        #expect(flags == flagsBefore, "pane modes before \(flagsBefore), after \(flags)", sourceLocation: sourceLocation)
        #expect(flags["alternate_on"] == "0", sourceLocation: sourceLocation)
        for leftover in ["Hosts (", "latticetop │", "┌", "└", "quit"] {
            #expect(!screen.contains(leftover), "dashboard leftover \"\(leftover)\" on the normal screen:\n\(screen)",
                    sourceLocation: sourceLocation)
        }
        #expect(screen.contains("stty -a >"), "the shell's own line is back:\n\(screen)", sourceLocation: sourceLocation)
        let before = try String(contentsOf: directory.appendingPathComponent("stty-before"), encoding: .utf8)
        let after = try String(contentsOf: directory.appendingPathComponent("stty-after"), encoding: .utf8)
        #expect(!before.isEmpty, sourceLocation: sourceLocation)
        #expect(before == after, "stty -a differs:\nbefore: \(before)\nafter: \(after)", sourceLocation: sourceLocation)
    }

    /// Stops this tmux server (and what runs in it) and removes the scratch directory.
    func kill() {
        let info = (try? tmux("display-message", "-p", "#{pid} #{socket_path}"))?
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1).map(String.init) ?? []
        _ = try? tmux("kill-server")
        if let pid = info.first.flatMap({ Int32($0) }), (try? tmux("list-sessions")) != nil { Glibc.kill(pid, SIGKILL) }
        if info.count == 2 { unlink(info[1]) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The table's lines (column titles first) inside the pane's border.
    static func rows(_ screen: String) -> [String] {
        screen.components(separatedBy: "\n").filter { $0.hasPrefix("│") && $0.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")) != "" }
    }

    /// The width of the pane's border (`┌──…──┐`), the widest line drawn from edge to edge.
    static func borderWidth(_ screen: String) -> Int? {
        screen.components(separatedBy: "\n").first { $0.hasPrefix("┌") && $0.hasSuffix("┐") }?.count
    }

    /// A child process of `parent` whose command name is `name` (from /proc).
    static func child(of parent: Int32, named name: String) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent else { continue }
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if comm == name { return pid }
        }
        return nil
    }
}

/// Runs a program the way a shell would: empty signal mask, default signal dispositions, only
/// stdin/stdout/stderr inherited; waits with `waitpid`. Foundation's `Process` is not usable for
/// tmux: it passes on the calling thread's blocked signals (a tmux server started from a
/// concurrency thread blocks SIGTERM and SIGCHLD, so `kill-server` does nothing) and the socket it
/// watches for the child's exit, which the daemonised tmux server keeps open, so
/// `waitUntilExit` never returns.
enum CleanSpawn {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `argv` to its end; its output is collected through files, not pipes.
    static func run(_ argv: [String], environment: [String: String], scratch: URL) throws -> Result {
        let id = UUID().uuidString.prefix(8)
        let outPath = scratch.appendingPathComponent("spawn-\(id).out").path
        let errPath = scratch.appendingPathComponent("spawn-\(id).err").path
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let pid = try start(argv, environment: environment, stdout: outPath, stderr: errPath)
        let status = wait(pid)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, stdout: out, stderr: err)
    }

    /// Starts `argv` (looked up in PATH) with stdout and stderr going to files.
    static func start(_ argv: [String], environment: [String: String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Close every other descriptor (closing one that is already gone is not an error).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? Array(3..<1024)
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard spawned == 0 else {
            throw TerminalTestFailure(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// Waits for `pid` to end: its exit status, or 128 + the signal that ended it (as a shell says).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// SIGTERM, then SIGKILL if it has not ended within 10 s; reaps it.
    static func stop(_ pid: pid_t) {
        guard kill(pid, SIGTERM) == 0 else { _ = isRunning(pid); return }
        let deadline = ContinuousClock.now + .seconds(10)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                _ = wait(pid)
                return
            }
            usleep(20_000)
        }
    }

    private static func decode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
