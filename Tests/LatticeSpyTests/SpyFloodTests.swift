import Foundation
import LatticeSpy
import NATSKit
import Synchronization
import Testing

/// A flood at full speed into a tiny subscription buffer with a slow consumer: every message is
/// either delivered or counted as dropped, and the capture keeps answering.
@Suite(.serialized) struct SpyFloodTests {
    @Test func dropsAreCountedAndTheAPIStillAnswers() async throws {
        let server = try SpyTestServer()
        defer { server.stop() }
        let publisher = try await server.connect("flood")
        let spy = try await server.connect("spy")
        let subject = "default.victim.wrpc.0.0.1.wasi:keyvalue/store@0.2.0-draft.get"
        let capture = SpyCapture()
        let subscription = try spy.subscribe("default.victim.wrpc.>", bufferLimit: 64)
        capture.track(subscription)
        try spy.flush()

        // The slow consumer: decodes and ingests each batch, then dawdles.
        let consumer = Task.detached {
            var decoder = SpyDecoder(configuration: capture.configuration)
            while let batch = await subscription.nextBatch() {
                capture.ingest(decoder.decode(batch, from: .invocations))
                try? await Task.sleep(for: .milliseconds(2))
            }
        }

        let total = 200_000
        let done = Atomic<Bool>(false)
        let flood = Task.detached {
            let payload = Data(repeating: 0x41, count: 16)
            let headers = ["source-id": "flooder", "link-name": "default"]
            for i in 0..<total {
                try publisher.publish(subject, payload: payload, reply: "_INBOX.flood.\(i)", headers: headers)
            }
            try publisher.flush(timeout: .seconds(30))
            done.store(true, ordering: .releasing)
        }

        // While it floods, the capture answers quickly.
        var slowest = Duration.zero
        var polls = 0
        while !done.load(ordering: .acquiring) || polls < 5 {
            let start = ContinuousClock.now
            let snapshot = capture.snapshot(limit: 500)
            _ = capture.counters
            slowest = max(slowest, ContinuousClock.now - start)
            polls += 1
            #expect(snapshot.messages.count <= 500)
            try await Task.sleep(for: .milliseconds(10))
        }
        try await flood.value

        let settled = await eventually(timeout: .seconds(60)) {
            subscription.delivered + subscription.dropped == Int64(total)
        }
        #expect(settled, "delivered \(subscription.delivered) + dropped \(subscription.dropped) != \(total)")
        #expect(subscription.dropped > 0, "a 64-message buffer behind a slow consumer must drop")
        #expect(slowest < .milliseconds(100), "slowest snapshot while flooding: \(slowest) over \(polls) polls")

        let caughtUp = await eventually(timeout: .seconds(30)) { capture.counters.received == UInt64(subscription.delivered) }
        #expect(caughtUp)
        let counters = capture.counters
        #expect(counters.subscriptionDropped == UInt64(subscription.dropped))
        #expect(counters.received + counters.subscriptionDropped == UInt64(total))
        #expect(counters.kept == counters.received, "every delivered message is kept (ring overwrites the oldest)")
        #expect(capture.snapshot().stored <= capture.configuration.ringCapacity)
        #expect(counters.pending <= capture.configuration.maxPendingCalls)

        subscription.unsubscribe()
        await consumer.value
    }
}
