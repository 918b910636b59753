import EmbeddedNATS
import Foundation
import Testing

/// Terminal safety and hostile terminals, through the real binary in tmux (see
/// `TerminalEndToEndTests` for the machinery): strings full of escape sequences from the network,
/// resize storms, tiny terminals, a C locale without colours, and every way the process can end.
@Suite(.timeLimit(.minutes(3)))
struct TerminalSafetyEndToEndTests {
    // MARK: Hostile strings

    /// `latticetop sim --hostile` puts OSC title changes, OSC 52, CSI, DCS, C1 controls, bidi
    /// overrides and zero-width characters in a host's name and labels, a component, a provider, a
    /// link, config values and every wRPC payload. On every pane they must show as visible
    /// placeholders; the pane's title must not change, the clipboard (tmux's paste buffers, with
    /// `set-clipboard on`) must stay empty, and the secret-looking config value must stay masked.
    @Test func hostileStringsShowAsPlaceholdersAndChangeNothing() async throws {
        let lattice = try await SimulatedLattice.start(simArguments: ["--hostile"])
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 200, height: 45)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        let title = try term.paneTitle()
        #expect(!title.contains("PWNED"))

        var seen = try await term.waitUntil("the hostile host") { $0.contains("Hosts (3)") && $0.contains("evil-host-") }
        func check(_ screen: String, _ pane: String) throws {
            #expect(try term.paneTitle() == title, "the title changed on \(pane):\n\(screen)")
            #expect(try term.tmux("list-buffers").isEmpty, "OSC 52 reached the clipboard on \(pane)")
            #expect(!screen.contains("hunter2"), "a secret-looking config value is shown on \(pane):\n\(screen)")
            #expect(screen.split(separator: "\n").first?.hasPrefix(" latticetop") == true || screen.contains("latticetop"),
                    "the header is gone on \(pane):\n\(screen)")
            // A marker is always followed by a visible placeholder (never by what an escape did).
            for marker in ["EVILTITLE", "EVILTITLE2", "EVILCSI", "EVILDCS", "EVILC1", "EVILCLIP"] {
                for range in screen.ranges(of: marker) where range.upperBound < screen.endIndex {
                    let next = screen[range.upperBound]
                    // (the raw JSON view shows JSON's own escapes: `\u001b`)
                    #expect(["␛", "\u{FFFD}", "2", "…", "\\"].contains(next),
                            "\(marker) followed by \(next) on \(pane):\n\(screen)")
                }
            }
        }
        try check(seen, "Hosts")
        var all = seen
        for (key, pane) in [("2", "Components ("), ("3", "Providers ("), ("4", "Links ("), ("5", "Config ("), ("7", "Events"),
                            ("8", "Spy")] {
            try term.keys(key)
            seen = try await term.waitFor(pane)
            try check(seen, pane)
            all += seen
        }
        // Config drill-down and the raw JSON of the hostile config.
        try term.keys("5")
        try await term.waitFor("Config (")
        try await term.filter("evil-config", showing: "Config (1)")
        try term.keys("Enter")
        seen = try await term.waitFor("password")
        try check(seen, "the config drill-down")
        all += seen
        try term.keys("Escape")
        try await term.waitFor("Config (1) /evil-config")
        try term.keys("y")
        seen = try await term.waitFor("Raw — ")
        try check(seen, "the raw JSON of the config")
        all += seen
        try term.keys("Escape")
        try await term.waitUntil("the config list") { $0.contains("Config (1) /evil-config") && !$0.contains("Raw — ") }
        // The host's drill-down and raw JSON (labels, name).
        try term.keys("1")
        try await term.waitFor("Hosts (3)")
        try await term.filter("evil-host", showing: "Hosts (1)")
        try term.keys("y")
        seen = try await term.waitFor("\"friendly_name\"")
        try check(seen, "the raw JSON of the host")
        all += seen

        // Where the strings are drawn, their controls are visible.
        #expect(all.contains("EVILTITLE␛]0;PWNED"), "the host name's OSC 0 is not shown as ␛:\n\(all)")
        #expect(all.contains("EVIL\u{FFFD}Z\u{FFFD}W\u{FFFD}"), "zero-width characters are not shown as �:\n\(all)")
        #expect(all.contains("EVILBIDI\u{FFFD}exe.txt"), "the bidi override is not shown as �:\n\(all)")
        #expect(all.contains("EVILC1\u{FFFD}2J"), "the C1 CSI is not shown as �:\n\(all)")
        #expect(all.contains("••••••"), "the password is not masked:\n\(all)")
        for scalar in all.unicodeScalars {
            #expect(!(scalar.value < 0x20 && scalar != "\n") && !(0x7F...0x9F).contains(scalar.value)
                    && ![0x200B, 0x2060, 0xFEFF, 0x202E].contains(scalar.value), "U+\(String(scalar.value, radix: 16)) on the screen")
        }
    }

    // MARK: Terminals

    @Test func resizeStormEndsDrawnAtTheFinalSizeAndKeysStillWork() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 40)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        try await term.waitFor("Hosts (3)")

        // 60 resizes as fast as tmux takes them, through too-small sizes and back.
        for i in 0..<60 {
            let width = [20, 200, 45, 90, 130, 33, 170][i % 7] + i % 5
            let height = [5, 60, 9, 24, 40, 7, 50][i % 7] + i % 3
            try term.tmux("resize-window", "-t", TmuxTerminal.session, "-x", String(width), "-y", String(height))
        }
        try term.tmux("resize-window", "-t", TmuxTerminal.session, "-x", "111", "-y", "33")
        var screen = try await term.waitUntil("the dashboard at 111×33") {
            TmuxTerminal.borderWidth($0) == 111 && $0.contains("Hosts (3)") && !$0.contains("too small")
        }
        let lines = screen.components(separatedBy: "\n")
        #expect(lines.count >= 33 && lines[32].hasPrefix("<1-8> panes"), "the hint bar is not the last line:\n\(screen)")
        try term.keys("3")
        screen = try await term.waitFor("Providers (4)")
        #expect(TmuxTerminal.borderWidth(screen) == 111, "\(screen)")
    }

    @Test func aTwentyByFiveTerminalSaysTooSmallAndQuits() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 20, height: 5)
        defer { term.kill() }
        try term.startRecordingStatus(lattice.dashboardCommand)
        let screen = try await term.waitFor("too small")
        let lines = screen.components(separatedBy: "\n")
        #expect(lines[0] == "terminal too small", "\(screen)")
        #expect(lines[1] == "(20×5; need 40×8)", "\(screen)")
        #expect(lines[2] == "q quits", "\(screen)")
        #expect(lines.allSatisfy { $0.count <= 20 }, "\(screen)")
        try term.keys("q")
        try await term.waitUntilEnded(status: 0)
    }

    /// `LANG=C LC_ALL=C` and `TERM=vt100`: plain ASCII (borders `+-|`), no colour, still usable.
    @Test func cLocaleAndVT100DrawPlainASCIIWithoutColour() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 140, height: 35)
        defer { term.kill() }
        try term.startRecordingStatus("env LANG=C LC_ALL=C TERM=vt100 " + lattice.dashboardCommand)
        var screen = try await term.waitFor("Hosts (3)")
        #expect(screen.unicodeScalars.allSatisfy { $0.value < 0x80 }, "non-ASCII on a C-locale terminal:\n\(screen)")
        #expect(screen.contains("+----"), "no ASCII border:\n\(screen)")
        #expect(screen.contains("|"), "\(screen)")
        for id in lattice.hostIDs { #expect(screen.contains(String(id.prefix(12))), "\(screen)") }
        let styled = try term.tmux("capture-pane", "-p", "-e", "-t", TmuxTerminal.session)
        #expect(TmuxTerminal.colourParameters(styled).filter { $0 != 39 && $0 != 49 }.isEmpty, "colours on a vt100:\n\(styled)")
        try term.keys("3")
        screen = try await term.waitFor("Providers (4)")
        #expect(screen.unicodeScalars.allSatisfy { $0.value < 0x80 }, "\(screen)")
        try term.keys("q")
        try await term.waitUntilEnded(status: 0)
    }

    // MARK: Leaving

    /// SIGINT, SIGHUP and crashes (SIGSEGV, SIGABRT) give the terminal back, and the process still
    /// ends by that signal. (SIGTERM and `q` are in `TerminalEndToEndTests`.)
    @Test(arguments: [SIGINT, SIGHUP, SIGSEGV, SIGABRT])
    func signalsAndCrashesRestoreTheTerminal(signal: Int32) async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 120, height: 35)
        defer { term.kill() }
        try await term.startShell()
        let before = try term.paneFlags()

        // Under `sh -c`: an interactive bash whose child dies of SIGINT abandons the rest of the
        // line (no EXITED).
        try await term.runWrapped("sh -c \"\(lattice.dashboardCommand); exit \\$?\"", until: "Hosts (3)")
        let shell = try term.appProcess(named: "sh")
        let app = try #require(TmuxTerminal.child(of: shell, named: "latticetop"))
        #expect(kill(app, signal) == 0)

        try await term.waitFor("EXITED:\(128 + signal)")
        let screen = try await term.waitFor("STTY-SAVED")
        try term.assertRestored(screen: screen, flagsBefore: before)
    }

    /// `latticetop demo` ended by `q`, SIGHUP (its terminal closed), SIGTERM or a crash: the
    /// terminal is back and its embedded nats-server is gone too.
    @Test(arguments: ["q", "HUP", "TERM", "SEGV"])
    func demoStopsItsNATSServerHoweverItEnds(ending: String) async throws {
        let binary = try GetCommandTests.binary()
        let term = try TmuxTerminal(width: 140, height: 40)
        defer { term.kill() }
        try await term.startShell()
        let before = try term.paneFlags()
        try await term.runWrapped("'\(binary.path)' demo", until: "Hosts (3)")
        let app = try term.appProcess(named: "latticetop")
        let server = try #require(TmuxTerminal.child(of: app, named: "nats-server"), "no nats-server under latticetop demo")

        let expected: Int32
        switch ending {
        case "q":
            try term.keys("q")
            expected = 0
        default:
            let signal = ["HUP": SIGHUP, "TERM": SIGTERM, "SEGV": SIGSEGV][ending]!
            #expect(kill(app, signal) == 0)
            expected = 128 + signal
        }
        try await term.waitFor("EXITED:\(expected)")
        let screen = try await term.waitFor("STTY-SAVED")
        try term.assertRestored(screen: screen, flagsBefore: before)

        let deadline = ContinuousClock.now + .seconds(10)
        while TmuxTerminal.isAlive(server) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let survived = TmuxTerminal.isAlive(server)
        if survived { kill(server, SIGKILL) }
        #expect(!survived, "the demo's nats-server (\(server)) outlived latticetop demo ended by \(ending)")
    }
}

extension TmuxTerminal {
    /// Types a `/` filter, keeps it with enter and waits for `expected`.
    func filter(_ text: String, showing expected: String) async throws {
        try type("/" + text)
        try keys("Enter")
        try await waitFor(expected)
    }

    /// Types `command` at the shell prompt (`wrapped`, without core dumps or the interactive Swift
    /// backtracer, which would wait for a key after a crash) and waits for `text`.
    func runWrapped(_ command: String, until text: String) async throws {
        try type(wrapped("ulimit -c 0; SWIFT_BACKTRACE=enable=no " + command))
        try keys("Enter")
        try await waitFor(text, timeout: .seconds(60))
    }

    /// The pane's title (what OSC 0/2 would set).
    func paneTitle() throws -> String {
        try tmux("display-message", "-p", "-t", Self.session, "#{pane_title}").trimmingCharacters(in: .newlines)
    }

    /// The program started from the pane's shell.
    func appProcess(named name: String) throws -> Int32 {
        let shell = try #require(Int32(try tmux("display-message", "-p", "-t", Self.session, "#{pane_pid}")
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        return try #require(Self.child(of: shell, named: name), "no \(name) process under the pane's shell")
    }

    /// Starts the session with `command` under `sh -c`, which writes its exit status (128 + the
    /// signal if it was killed by one) to a file when it ends.
    func startRecordingStatus(_ command: String) throws {
        try start("sh -c \"\(command); echo \\$? > '\(directory.path)/status'\"")
    }

    /// Waits for the status `startRecordingStatus` writes and checks it.
    func waitUntilEnded(status expected: Int, timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let file = directory.appendingPathComponent("status")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8), text.hasSuffix("\n") {
                #expect(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) == expected, "ended with \(text)",
                        sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TerminalTestFailure(description: "the program did not end; screen:\n\(try screen())")
    }

    /// True while `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// The SGR colour parameters (30–49, 90–107; 39 and 49 are the defaults) in a `capture-pane -e` text.
    static func colourParameters(_ styled: String) -> [Int] {
        var found: [Int] = []
        for piece in styled.components(separatedBy: "\u{1B}[").dropFirst() {
            guard let end = piece.firstIndex(of: "m") else { continue }
            let numbers = piece[..<end].split(separator: ";").compactMap { Int($0) }
            found += numbers.filter { (30...49).contains($0) || (90...107).contains($0) }
        }
        return found
    }
}
