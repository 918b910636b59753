import Foundation
import Testing

/// The Links and Config operations in the real binary in a real terminal (tmux) against
/// `latticetop sim` on a real nats-server: a delete is sent only after `y`; `E` hands the
/// terminal to `$EDITOR` (normal screen, cooked tty, the keyboard goes to the editor) and takes
/// it back; the terminal is as it was when the dashboard ends.
@Suite(.timeLimit(.minutes(3)))
struct OperateTerminalTests {
    @Test func aLinkIsDeletedOnlyAfterYAndUndoPutsItBack() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 45)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        try await term.waitFor("Hosts (3)")
        try term.keys("4")
        try await term.waitFor("Links (4)")
        try term.type("/kvredis")
        try term.keys("Enter")
        try await term.waitFor("Links (1) /kvredis")

        try term.keys("C-d")
        var screen = try await term.waitFor("Delete link?")
        #expect(screen.contains("delete link rust_http_kv-counter → rust_http_kv-kvredis"), "\(screen)")
        #expect(screen.contains("wash link del rust_http_kv-counter wasi keyvalue"), "\(screen)")
        try term.keys("n")
        try await term.waitFor("cancelled: nothing was sent")
        screen = try await term.waitFor("Links (1) /kvredis")

        try term.keys("C-d")
        try await term.waitFor("Delete link?")
        try term.keys("y")
        screen = try await term.waitFor("Links (0) /kvredis")
        try await term.waitFor("linkdef_deleted")

        try term.keys("u")
        screen = try await term.waitFor("Undo the last link change?")
        #expect(screen.contains("+ target         rust_http_kv-kvredis"), "\(screen)")
        try term.keys("y")
        try await term.waitFor("Links (1) /kvredis")
    }

    @Test func editInEditorHandsTheTerminalOverAndTakesItBack() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 45)
        defer { term.kill() }
        // An editor that shows itself, reads a line from the keyboard, then edits the file.
        let editor = term.directory.appendingPathComponent("editor.sh")
        try """
            #!/bin/sh
            stty -a > '\(term.directory.path)/stty-in-editor'
            printf 'EDITOR RUNNING on %s\\n' "$(basename "$1")"
            read answer
            printf '%s\\n' "$answer" > '\(term.directory.path)/editor-answer'
            sed -i 's/0.0.0.0:8080/0.0.0.0:9191/' "$1"
            """.write(to: editor, atomically: true, encoding: .utf8)
        chmod(editor.path, 0o755)

        try await term.startShell()
        let before = try term.paneFlags()
        try term.type(term.wrapped("EDITOR='\(editor.path)' " + lattice.dashboardCommand))
        try term.keys("Enter")
        try await term.waitFor("Hosts (3)")
        try term.keys("5")
        try await term.waitFor("Config (4)")
        try term.type("/hello")
        try term.keys("Enter")
        try await term.waitFor("Config (1) /hello")

        try term.keys("E")
        var screen = try await term.waitFor("EDITOR RUNNING on latticetop-rust_hello_world-default_http-")
        #expect(try term.paneFlags()["alternate_on"] == "0", "the editor runs on the normal screen")
        #expect(!screen.contains("Config ("), "the dashboard is not drawn over the editor:\n\(screen)")
        let stty = try String(contentsOf: term.directory.appendingPathComponent("stty-in-editor"), encoding: .utf8)
        #expect(stty.contains(" icanon") && stty.contains(" echo ") && !stty.contains("-icanon"), "the editor gets a cooked tty: \(stty)")
        try term.type("typed into the editor")
        try term.keys("Enter")

        screen = try await term.waitFor("Change config?")
        #expect(try term.paneFlags()["alternate_on"] == "1", "the dashboard is back on the alternate screen")
        #expect(screen.contains("- address        0.0.0.0:8080") && screen.contains("+ address        0.0.0.0:9191"), "\(screen)")
        #expect(screen.contains("latticetop │"), "the whole screen is drawn again:\n\(screen)")
        let answer = try String(contentsOf: term.directory.appendingPathComponent("editor-answer"), encoding: .utf8)
        #expect(answer == "typed into the editor\n")
        try term.keys("y")
        try await term.waitFor("address=0.0.0.0:9191")

        try term.keys("q")
        try await term.waitFor("EXITED:0")
        screen = try await term.waitFor("STTY-SAVED")
        try term.assertRestored(screen: screen, flagsBefore: before)
    }
}
