import Foundation
import LatticeProtocol
import NATSKit
import Testing

/// The real binary in tmux against `latticetop sim`: a stop is never sent without `y`. The test
/// listens on the stop subjects itself, so it sees exactly what reaches the hosts.
@Suite(.timeLimit(.minutes(3)))
struct TerminalConfirmTests {
    /// Records every request on a subject pattern.
    final class Wiretap: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [NATSMessage] = []
        private var task: Task<Void, Never>?
        let connection: NATSConnection

        init(url: String, subjects: [String]) async throws {
            connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [url], name: "wiretap"))
            for subject in subjects {
                let sub = try connection.subscribe(subject)
                Task { [weak self] in
                    for await batch in sub { self?.lock.withLock { self?.seen.append(contentsOf: batch) } }
                }
            }
            try connection.flush()
        }

        var messages: [NATSMessage] { lock.withLock { seen } }

        func close() { connection.close() }
    }

    @Test func aStopIsNeverSentWithoutY() async throws {
        let lattice = try await SimulatedLattice.start()
        defer { lattice.stop() }
        let tap = try await Wiretap(url: lattice.server.url,
                                    subjects: ["wasmbus.ctl.v1.default.provider.stop.>", "wasmbus.ctl.v1.default.host.stop.>"])
        defer { tap.close() }
        let term = try TmuxTerminal(width: 200, height: 45)
        defer { term.kill() }
        try term.start(lattice.dashboardCommand)
        try await term.waitFor("Hosts (3)")

        try term.keys("3")
        try await term.waitFor("Providers (4)")
        try term.type("/kvredis")
        try term.keys("Enter")
        try await term.waitFor("Providers (1) /kvredis")
        // Every answer but `y` cancels: n, esc, enter, capital Y, space, q, ctrl-d again.
        for answer in ["n", "Escape", "Enter", "Y", "Space", "q", "C-d"] {
            try term.keys("C-d")
            let dialog = try await term.waitFor("Stop provider?")
            #expect(dialog.contains("Stop provider rust_http_kv-kvredis"), "\(dialog)")
            #expect(dialog.contains("on host \(lattice.names[lattice.hostIDs[2]] ?? "?") (\(lattice.hostIDs[2]))"), "\(dialog)")
            #expect(dialog.contains("wadm will revert this change"), "\(dialog)")
            try term.keys(answer)
            try await term.waitFor("cancelled: nothing was sent")
            try await term.waitUntil("the dialog to close") { !$0.contains("Stop provider?") }
        }
        // The positive signal is the stop sent with y: the app publishes in order on one
        // connection, so a stop sent by a cancelled dialog would have reached the tap first.
        try term.keys("C-d")
        try await term.waitFor("Stop provider?")
        try term.keys("y")
        let done = try await term.waitFor("✔ stop provider rust_http_kv-kvredis: provider_stopped")
        #expect(done.contains("wash stop provider --host-id \(lattice.hostIDs[2]) rust_http_kv-kvredis"), "\(done)")
        try await term.waitUntil("the tap to see the stop") { _ in !tap.messages.isEmpty }
        #expect(tap.messages.count == 1, "a stop went out without y: \(tap.messages.map(\.subject))")
        #expect(tap.messages.first?.subject == "wasmbus.ctl.v1.default.provider.stop.\(lattice.hostIDs[2])")
        let body = try #require(tap.messages.first.flatMap { try? WireJSON.decode(StopProviderCommand.self, from: $0.data) })
        #expect(body.providerID == "rust_http_kv-kvredis")

        // A host stop: q in the dialog cancels (it does not quit), nothing is sent.
        try term.keys("1")
        try await term.waitFor("Hosts (3)")
        try term.keys("C-d")
        try await term.waitFor("Stop host?")
        try term.keys("q")
        try await term.waitFor("cancelled: nothing was sent")
        #expect(try term.screen().contains("Hosts (3)"))
        // Positive signal: the stop confirmed with y is the next (and only other) message.
        try term.keys("C-d")
        try await term.waitFor("Stop host?")
        try term.keys("y")
        try await term.waitUntil("the tap to see the host stop") { _ in tap.messages.count >= 2 }
        #expect(tap.messages.count == 2)
        #expect(tap.messages.last?.subject.hasPrefix("wasmbus.ctl.v1.default.host.stop.") == true)

        // The audit log has the two stops that were sent, the provider's first.
        let audit = term.directory.appendingPathComponent(".local/state/latticetop/audit.log")
        try await term.waitUntil("the host stop in the audit log") { _ in
            ((try? String(contentsOf: audit, encoding: .utf8)) ?? "").split(separator: "\n").count >= 2
        }
        let lines = try String(contentsOf: audit, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("wasmbus.ctl.v1.default.provider.stop.\(lattice.hostIDs[2])\tconfirmed: ") == true)
    }
}
