import Foundation
import LatticeProtocol
import NATSKit
import Testing
@testable import LatticeTop

/// Key-to-frame latency of the whole dashboard (NATS → monitor → bounded hand-over → reducer →
/// screen → frame, on the UI thread) while a flood of lattice events arrives, against the same
/// keys on the same lattice with no flood (the baseline, same process). Enabled only with
/// `LATTICETOP_BENCH=1` (`Benchmarks/keys.sh`); prints KEYS-BENCH lines. The target: a
/// key shows within 100 ms under the flood.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct KeyLatencyBenchmarkTests {
    static let rounds = Int(ProcessInfo.processInfo.environment["LATTICETOP_BENCH_ROUNDS"] ?? "") ?? 40
    static let floodEvents = Int(ProcessInfo.processInfo.environment["LATTICETOP_BENCH_EVENTS"] ?? "") ?? 300_000

    /// `?` (help) then `esc` (back to the pane), each timed from the key to the first frame
    /// that shows it.
    static func measure(_ app: FaultDashboardTests.App, pane: String, rounds: Int) async -> [Duration] {
        var latencies: [Duration] = []
        for _ in 0..<rounds {
            if let t = await app.terminal.timeToFrame(after: [.character("?")], showing: "Help — keys for") { latencies.append(t) }
            if let t = await app.terminal.timeToFrame(after: [.escape], showing: pane) { latencies.append(t) }
        }
        return latencies
    }

    static func line(_ what: String, _ latencies: [Duration], expected: Int) -> String {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return "KEYS-BENCH \(what): no key showed" }
        func ms(_ d: Duration) -> String { String(format: "%.1f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
        return "KEYS-BENCH \(what): key→frame median \(ms(sorted[sorted.count / 2])), p90 \(ms(sorted[sorted.count * 9 / 10])), "
            + "p99 \(ms(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])), max \(ms(sorted.last!)) "
            + "(\(sorted.count) of \(expected) keys shown)"
    }

    @Test func keyToFrameUnderAnEventFlood() async throws {
        try await FaultDashboardTests.withDashboard { fixture, app in
            await app.pane("7")
            await app.expectScreen("Events")
            let baseline = await Self.measure(app, pane: "Events (", rounds: Self.rounds)
            print(Self.line("baseline, no flood, Events pane", baseline, expected: 2 * Self.rounds))

            let publisher = try await NATSConnection.connect(NATSConnectionOptions(servers: [fixture.server.url], name: "event-flood"))
            defer { publisher.close() }
            let total = Self.floodEvents
            let flood = Task.detached { () throws -> Duration in
                let start = ContinuousClock.now
                let host = "NFLOODHOSTAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                for i in 0..<total {
                    let event = LatticeEvent.make(.healthCheckStatus(HealthCheckEvent(hostID: host, providerID: "flood-\(i % 50)")), source: host)
                    try publisher.publish(event.subject(lattice: "default")!, payload: try event.encoded())
                }
                try publisher.flush(timeout: .seconds(60))
                return ContinuousClock.now - start
            }
            let flooded = await Self.measure(app, pane: "Events (", rounds: Self.rounds)
            let took = try await flood.value
            print(Self.line("under a flood of \(total) lattice events (published in \(took)), Events pane", flooded,
                            expected: 2 * Self.rounds))
            let dropped = app.terminal.text.firstMatch(of: /(\d+) dropped/).map { String($0.output.1) } ?? "0"
            print("KEYS-BENCH events dropped and counted while flooding: \(dropped)")
            // Every key was answered; the speed is the printed figure (Benchmarks/README.md).
            #expect(flooded.count == 2 * Self.rounds, "\(2 * Self.rounds - flooded.count) keys never showed")
        }
    }
}
