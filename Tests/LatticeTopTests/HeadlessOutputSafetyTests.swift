import Foundation
import LatticeSim
import TerminalUI
import Testing

/// What the headless commands print from a hostile lattice (escape sequences, C1 controls, bidi
/// overrides and zero-width characters in names, labels and payloads) is safe for a terminal:
/// `events -o jsonl` (JSONEncoder escapes only C0), `spy -o jsonl` (the byte-level writer) and
/// `spy -o text` carry no unsafe scalar, only placeholders.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HeadlessOutputSafetyTests {
    @Test(arguments: [["events", "-o", "jsonl"], ["spy", "-o", "jsonl"], ["spy", "-o", "text", "--hold-ms", "0"]])
    func hostileLatticeOutputHasNoUnsafeScalars(command: [String]) async throws {
        var configuration = SimulatorConfiguration.fast()
        configuration.hostile = true
        configuration.invocationsPerSecond = 200
        let f = try await LatticeFixture(configuration)
        defer { Task { await f.shutdown() } }
        let p = try PipedProcess(command + ["--nats-url", f.server.url])
        // Enough lines to have met the hostile names and payloads (heartbeats every 2 s carry labels).
        #expect(p.read(within: .seconds(30)) { $0.split(separator: 0x0A).count >= 40 })
        p.signal(SIGTERM)
        #expect(p.waitForExit(within: .seconds(10)) == 0)
        let text = String(decoding: p.output, as: UTF8.self)
        let unsafe = text.unicodeScalars.filter { $0 != "\n" && TextSanitizer.isUnsafe($0) && !TextSanitizer.isEmojiGlue($0) }
        #expect(unsafe.isEmpty, "unsafe scalars \(unsafe.map { String($0.value, radix: 16) }) in:\n\(text.prefix(2000))")
        if command[0] == "events" {
            // The hostile labels are in every heartbeat: they show as placeholders.
            #expect(text.contains("?"), "the hostile strings show as placeholders")
        }
    }
}
