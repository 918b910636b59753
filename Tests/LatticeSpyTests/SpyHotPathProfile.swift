import EmbeddedNATS
import Foundation
import LatticeSpy
import NATSKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Per-message CPU cost of the spy's hot path on real received messages, single-threaded, no
/// network in the timed part (the decode and the ingest separately). Part of the benchmark:
/// enabled only with `LATTICETOP_BENCH=1`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct SpyHotPathProfile {
    @Test func decodeAndIngestCost() async throws {
        let n = 200_000
        let server = try NATSServerProcess()
        defer { server.stop() }
        let c = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url], name: "profile", ignoreDiscoveredServers: true))
        defer { c.close() }
        let sub = try c.subscribe("bench.*.wrpc.>", bufferLimit: n)
        try c.flush()
        let payload = Data((0..<48).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        for i in 0..<n {
            try c.publish("bench.component-\(i & 7).wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle", payload: payload,
                          reply: "_INBOX.bench.\(i)", headers: ["source-id": "bench-httpserver", "link-name": "default"])
        }
        try c.flush(timeout: .seconds(30))
        var messages: [NATSMessage] = []
        while messages.count < n, let batch = await sub.nextBatch() { messages += batch }
        sub.unsubscribe()

        // Three passes over the same messages, each into a fresh capture; CPU time of this thread
        // (the machine is shared: wall time would count other processes).
        var decodeTime = 0.0
        var ingestTime = 0.0
        var capture = SpyCapture()
        let passes = 3
        for _ in 0..<passes {
            var decoder = SpyDecoder()
            capture = SpyCapture()
            let chunk = 8192
            var start = 0
            while start < messages.count {
                let slice = Array(messages[start..<min(start + chunk, messages.count)])
                let t0 = Self.threadCPU()
                let decoded = decoder.decode(slice, from: .invocations)
                let t1 = Self.threadCPU()
                capture.ingest(decoded)
                let t2 = Self.threadCPU()
                decodeTime += t1 - t0
                ingestTime += t2 - t1
                start += chunk
            }
        }
        // What NATSKit's accessors alone cost (subject, reply, the four wRPC headers, payload size):
        // the floor of any decode through NATSMessage's String API.
        var sink = 0
        let a0 = Self.threadCPU()
        for _ in 0..<passes {
            for m in messages {
                sink &+= m.subject.utf8.count &+ (m.reply?.utf8.count ?? 0) &+ m.payloadCount
                for key in ["source-id", "target-id", "link-name", "traceparent"] { sink &+= m.header(key)?.utf8.count ?? 0 }
            }
        }
        let accessorTime = Self.threadCPU() - a0
        let per = 1e9 / Double(n * passes)
        print(String(format: "SPYBENCH hot_path_accessors: %.0f ns/msg (subject, reply, 4 header lookups; sink %d)", accessorTime * per, sink & 1))
        print(String(format: "SPYBENCH hot_path: decode=%.0f ns/msg ingest=%.0f ns/msg total=%.0f ns/msg (thread CPU time, n=%d x %d)",
                     decodeTime * per, ingestTime * per, (decodeTime + ingestTime) * per, n, passes))
        #expect(capture.counters.received == UInt64(n))
    }

    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// Memory of a full capture alone (no NATS): RSS growth after filling the default ring.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct SpyCaptureMemoryProfile {
    @Test func fullRingFootprint() {
        let before = SpyBenchmark.memory()
        let capture = SpyCapture()
        let payload = Data((0..<48).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        var decoder = SpyDecoder()
        for round in 0..<100 {
            let batch = (0..<3000).map { i in
                SpyWireMessage(subject: "bench.component-\(i & 7).wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle",
                               reply: "_INBOX.bench.\(round * 3000 + i)", headers: ["source-id": "bench-httpserver", "link-name": "default"],
                               payload: payload)
            }
            capture.ingest(decoder.decode(batch, from: .invocations))
        }
        let after = SpyBenchmark.memory()
        print(String(format: "SPYBENCH capture_memory: %.1f MiB for a full ring (%d stored, %d pending); SpyMessage stride %d B",
                     Double(after.rss - before.rss) / 1024, capture.snapshot(limit: 0).stored, capture.counters.pending,
                     MemoryLayout<SpyMessage>.stride))
    }
}
