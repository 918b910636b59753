import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeState
import NATSKit
import Testing
@testable import LatticeTop

/// Hostile traffic on the watched subjects of a real nats-server: every bad message becomes a
/// counted, visible error (the Events pane title and log), never a crash, and good messages
/// around it still arrive.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct MalformedTrafficTests {
    static let validEvent = #"{"specversion":"1.0","id":"ok-1","type":"com.wasmcloud.lattice.config_set","source":"N1","time":"2026-11-28T12:00:00Z","data":{"config_name":"after-the-bad-ones"}}"#

    /// Subject, payload, and a word the reason must contain.
    static func hostileMessages(limit: Int) -> [(subject: String, payload: Data, reason: String)] {
        var invalidUTF8 = Data(#"{"specversion":"1.0","id":"u","type":"com.wasmcloud.lattice.host_started","source":""#.utf8)
        invalidUTF8 += [0xC3, 0x28, 0xFF]
        invalidUTF8 += Data(#"","data":{}}"#.utf8)
        let oversized = Data(#"{"specversion":"1.0","id":"big","type":"com.wasmcloud.lattice.labels_changed","source":"N1","data":{"labels":{"a":""#.utf8)
            + Data(repeating: UInt8(ascii: "x"), count: limit) + Data(#""}}}"#.utf8)
        return [
            ("wasmbus.evt.default.labels_changed", oversized, "oversized"),
            ("wasmbus.evt.default.host_started", invalidUTF8, "UTF-8"),
            ("wasmbus.evt.default.host_heartbeat", Data((String(repeating: "[", count: 60_000)).utf8), "invalid JSON"),
            ("wasmbus.evt.default.host_heartbeat", Data(String(repeating: #"{"a":"#, count: 5_000).utf8) + Data("1".utf8)
                + Data(String(repeating: "}", count: 5_000).utf8), "invalid JSON"),
            ("wasmbus.evt.default.host_heartbeat",
             Data(#"{"specversion":"1.0","id":"w","type":"com.wasmcloud.lattice.host_heartbeat","source":"N1","data":{"components":"none","providers":7}}"#.utf8),
             "unsupported"),
            ("wasmbus.evt.default.x", Data(#"{"type":["not","a","string"]}"#.utf8), "not a CloudEvent"),
            ("runtime.operator.heartbeat.h1", Data(#"{"id":5,"labels":"none"}"#.utf8), "v2 heartbeat"),
            ("runtime.operator.heartbeat.h2", Data([0xFE, 0xFF, 0x00, 0x7B]), "v2 heartbeat"),
            ("runtime.operator.heartbeat.h3", Data(repeating: UInt8(ascii: " "), count: limit + 1), "oversized"),
            ("wadm.status.default.app", Data("[1,2,3]".utf8), "wadm status"),
        ]
    }

    @Test func hostileMessagesAreCountedAndShownNeverFatal() async throws {
        try await LatticeFixture.using(startSimulator: false) { f in
            let limit = 64 * 1024
            let monitor = LatticeMonitor(client: f.client, configuration: MonitorConfiguration(eventsOnly: true, maxPayloadBytes: limit))
            try await monitor.start()
            let hostile = Self.hostileMessages(limit: limit)
            for message in hostile {
                try f.connection.publish(message.subject, payload: message.payload)
            }
            try f.connection.publish("wasmbus.evt.default.config_set", payload: Data(Self.validEvent.utf8))
            try f.connection.flush()

            let inputs = await LatticeMonitorTests.collect(monitor) { all in
                all.filter { if case .undecodable = $0 { return true } else { return false } }.count >= hostile.count
                    && all.contains { if case .event(let e, _) = $0 { return e.id == "ok-1" } else { return false } }
            }
            await monitor.stop()

            let undecodable = inputs.compactMap { input -> (String, String, Int)? in
                if case .undecodable(let subject, let reason, let raw, _) = input { return (subject, reason, raw.count) }
                return nil
            }
            #expect(undecodable.count == hostile.count)
            // Each subscription keeps its order, but the three subscriptions interleave.
            var unmatched = undecodable
            for message in hostile {
                guard let i = unmatched.firstIndex(where: { $0.0 == message.subject && $0.1.contains(message.reason) }) else {
                    Issue.record("no '\(message.reason)' error for \(message.subject) in \(unmatched.map(\.1))")
                    continue
                }
                unmatched.remove(at: i)
            }
            for (_, reason, rawBytes) in undecodable {
                #expect(reason.count < 300 && !reason.contains("\n"), "a one-line reason, not the payload: \(reason.prefix(80))…")
                #expect(rawBytes <= limit + 1, "an oversized payload is not kept whole")
            }

            // The reducer counts them; the dashboard's Events pane says how many and lists each one.
            var dashboard = Dashboard(lattice: "default", server: f.server.url, context: nil)
            dashboard.apply(inputs)
            #expect(dashboard.state.counters.decodeErrors == hostile.count)
            #expect(dashboard.state.eventLog.elements.filter { $0.kind == "undecodable" }.count == hostile.count)
            let pane = dashboard.eventsView(paused: false)
            #expect(pane.title.contains("\(hostile.count) malformed"), "\(pane.title)")
            #expect(pane.rows.contains { row in row.cells.contains { $0.contains("oversized") } })
            #expect(dashboard.state.configs["after-the-bad-ones"] != nil || dashboard.state.eventLog.elements.contains { $0.summary.contains("after-the-bad-ones") },
                    "the good event after the bad ones is applied")
        }
    }
}
