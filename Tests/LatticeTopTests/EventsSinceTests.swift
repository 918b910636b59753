import Foundation
import LatticeProtocol
import LatticeSim
import NATSKit
import NATSTestSupport
import Testing
@testable import LatticeTop

/// `--since` / `--until` times, pure.
@Suite struct TimeBoundTests {
    let now = Date(timeIntervalSince1970: 1_764_928_800)  // 2025-12-05T10:00:00Z
    let utc = TimeZone(identifier: "UTC")!

    @Test func durationsAgoTimesAndClockTimes() {
        #expect(TimeBound.parse("1h", now: now, timeZone: utc) == now.addingTimeInterval(-3600))
        #expect(TimeBound.parse("1h30m", now: now, timeZone: utc) == now.addingTimeInterval(-5400))
        #expect(TimeBound.parse("2025-12-05T09:42:00Z", now: now, timeZone: utc) == now.addingTimeInterval(-18 * 60))
        #expect(TimeBound.parse("09:42", now: now, timeZone: utc) == now.addingTimeInterval(-18 * 60))
        #expect(TimeBound.parse("09:42:30", now: now, timeZone: utc) == now.addingTimeInterval(-18 * 60 + 30))
        #expect(TimeBound.parse("10:30", now: now, timeZone: utc) == now.addingTimeInterval(30 * 60 - 86_400), "a clock time still to come is yesterday's")
        for bad in ["", "yesterday", "25:00", "10:60", "1x", "10:4", "-1h"] {
            #expect(TimeBound.parse(bad, now: now, timeZone: utc) == nil, "\(bad)")
        }
    }
}

/// `latticetop events --since` (the real binary) against a simulated lattice recorded by
/// `latticetop record` on nats-server with JetStream.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct EventsSinceTests {
    static func run(_ args: [String]) throws -> GetCommandTests.Run { try GetCommandTests.run(args) }

    static func events(_ jsonl: String) -> [LatticeEvent] {
        jsonl.split(separator: "\n").compactMap { try? WireJSON.decode(LatticeEvent.self, from: Data($0.utf8)) }
    }

    /// Records, makes a provider start fail, and waits until the recorder holds that event.
    static func recordedFailure(_ f: LatticeFixture) async throws -> LatticeEvent {
        let record = try run(["record", "--nats-url", f.server.url])
        #expect(record.status == 0, "\(record.stderr)")
        await f.simulator.trigger(.failedStart)
        let failed = try #require(await f.events.wait { $0.knownType == .providerStartFailed })
        let streams = try NATSStreams(f.connection)
        try await TestServers.waitUntil("the recorder holds the failed start") {
            guard let info = try? await streams.info("LATTICETOP_EVENTS_default"), let last = info.lastTime else { return false }
            return last >= (failed.date ?? .distantFuture)
        }
        return failed
    }

    @Test func noFollowPrintsTheRecordedEventsInOrderAndExits() async throws {
        try await LatticeFixture.using() { f in
            let failed = try await Self.recordedFailure(f)
            let jsonl = try Self.run(["events", "--since", "1h", "--no-follow", "-o", "jsonl", "--nats-url", f.server.url])
            #expect(jsonl.status == 0, "\(jsonl.stderr)")
            let printed = Self.events(jsonl.stdout)
            #expect(printed.count == jsonl.stdout.split(separator: "\n").count, "every line is a CloudEvent")
            #expect(printed.contains { $0.id == failed.id && $0.knownType == .providerStartFailed })
            #expect(Set(printed.map(\.id)).count == printed.count, "no event twice")
            // In the order they were published (as a live subscriber saw them).
            let seen = f.events.all.map(\.id)
            let order = printed.compactMap { seen.firstIndex(of: $0.id) }
            #expect(order == order.sorted() && order.count >= printed.count - 5)

            let text = try Self.run(["events", "--since", "1h", "--no-follow", "--no-heartbeats", "--nats-url", f.server.url])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("provider_start_failed") && text.stdout.contains("missing-provider"), "\(text.stdout)")
            #expect(!text.stdout.contains("host_heartbeat"))
        }
    }

    /// A crash is a silence: after the recorded events, text output says what the triage saw.
    /// (Here the provider dies before its first health report: silent since first listed.)
    @Test func textOutputEndsTheHistoryWithTheTriage() async throws {
        try await LatticeFixture.using() { f in
            _ = try await Self.recordedFailure(f)
            let crashed = "rust_http_kv-kvredis"
            await f.simulator.setHealthAnswer(.noEndpoint, provider: crashed)
            let crashedAt = Date()
            _ = await f.events.wait(timeout: .seconds(20)) { e in
                e.knownType == .healthCheckStatus && (e.date ?? .distantPast) > crashedAt.addingTimeInterval(7)
            }
            let text = try Self.run(["events", "--since", "1h", "--no-follow", "--health-stale-after", "5", "--nats-url", f.server.url])
            #expect(text.status == 0, "\(text.stderr)")
            let triage = text.stdout.split(separator: "\n").filter { $0.contains("  TRIAGE  ") }
            #expect(triage.contains { $0.contains("provider \(crashed) on") && $0.contains("1 crash") && $0.contains("silent since") },
                    "\(triage)")
            #expect(triage.contains { $0.contains("provider missing-provider") && $0.contains("1 failed start") }, "\(triage)")
        }
    }

    /// Recorded events, then live ones until `--until`, with no gap or duplicate between them.
    @Test func followsLiveEventsAfterTheRecordedOnesUntilUntil() async throws {
        try await LatticeFixture.using() { f in
            _ = try await Self.recordedFailure(f)
            let started = Date()
            let until = RFC3339.format(started.addingTimeInterval(5))
            let out = try Self.run(["events", "--since", "1h", "--until", until, "-o", "jsonl", "--nats-url", f.server.url])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("following live events"), "\(out.stderr)")
            let printed = Self.events(out.stdout)
            #expect(printed.contains { ($0.date ?? .distantFuture) < started }, "recorded events come first")
            #expect(printed.contains { ($0.date ?? .distantPast) > started.addingTimeInterval(1) }, "then live ones")
            #expect(Set(printed.map(\.id)).count == printed.count, "no event twice")
            let seen = f.events.all.map(\.id)
            let order = printed.compactMap { seen.firstIndex(of: $0.id) }
            #expect(order == order.sorted(), "in order")
            // No gap: every event a live subscriber saw in the printed span was printed.
            if let first = order.first, let last = order.last {
                #expect(Set(seen[first...last]).isSubset(of: Set(printed.map(\.id))), "every event in between was printed")
            }
        }
    }

    @Test func withoutARecorderSinceSaysSoInOneLine() async throws {
        for jetStream in [true, false] {
            let server = try TestServers.start(jetStream: jetStream)
            for format in ["text", "jsonl"] {
                let out = try Self.run(["events", "--since", "1h", "-o", format, "--nats-url", server.url, "--timeout", "500"])
                #expect(out.status == 1)
                let lines = out.stderr.split(separator: "\n")
                #expect(lines.count == 1 && lines[0].hasPrefix("latticetop: error: no recorded history"), "\(out.stderr)")
                #expect(out.stdout.isEmpty)
            }
            server.stop()
        }
        let bad = try Self.run(["events", "--until", "1h"])
        #expect(bad.status != 0 && bad.stderr.contains("--since"))
    }
}
