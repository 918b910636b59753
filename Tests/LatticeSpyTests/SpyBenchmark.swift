import EmbeddedNATS
import Foundation
@testable import LatticeTop
import LatticeSpy
import NATSKit
import Synchronization
import Testing
import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// Spy ingest benchmark, run by `Benchmarks/spy.sh` (release build), never in the normal suite:
/// enabled only with `LATTICETOP_BENCH=1`. In one process run it measures, alternating rounds:
///
/// - raw: a plain NATSKit subscription whose consumer only adds `batch.count`;
/// - spy: a `SpySession` (lattice scope: `bench.*.wrpc.>` and `_INBOX.>`), decoding, pairing and
///   appending every message;
/// - spy+tui: the same, while the Spy pane is drawn as the dashboard draws it (pane view from the
///   capture's snapshot, `Screen.render` into a 160x45 `MemoryBackend`) at the dashboard's
///   ~30 frames a second, in this process;
///
/// each fed `LATTICETOP_BENCH_COUNT` small wRPC-shaped invocations (headers `source-id` +
/// `link-name`, a unique `_INBOX.bench.N` reply, 48-byte binary payload) published at full speed
/// by a publisher connection in this process. Rate = messages consumed / time from the first
/// publish to the last message consumed. `memoryAfterIngest` (its own process) has one spy with
/// the default configuration (100k ring) ingest `LATTICETOP_BENCH_RSS_COUNT` messages and reads
/// the process RSS.
/// Server: `LATTICETOP_BENCH_NATS_URL`, or a nats-server started here on a free loopback port.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct SpyBenchmark {
    static let env = ProcessInfo.processInfo.environment
    static func int(_ key: String, _ fallback: Int) -> Int { env[key].flatMap { Int($0.replacingOccurrences(of: "_", with: "")) } ?? fallback }

    struct Phase {
        let name: String
        let published: Int
        let consumed: Int
        let dropped: Int
        let seconds: Double
        let cpuSeconds: Double
        var frames = 0
        var rate: Double { Double(consumed) / seconds }
    }

    /// The server to use: `LATTICETOP_BENCH_NATS_URL`, or one started here.
    func server() throws -> (url: String, process: NATSServerProcess?) {
        if let given = Self.env["LATTICETOP_BENCH_NATS_URL"], !given.isEmpty { return (given, nil) }
        let process = try NATSServerProcess()
        return (process.url, process)
    }

    /// Raw subscriber vs spy, alternating rounds, same process and server.
    @Test func ingestRate() async throws {
        let count = Self.int("LATTICETOP_BENCH_COUNT", 3_000_000)
        let rounds = Self.int("LATTICETOP_BENCH_ROUNDS", 2)
        let (url, process) = try server()
        defer { process?.stop() }
        report("server", url)
        report("count", "\(count)")

        // Warm up both paths (page in code, grow buffers) before measuring.
        _ = try await raw(url: url, count: min(200_000, count))
        _ = try await spy(url: url, count: min(200_000, count), configuration: SpyConfiguration())

        var raws: [Phase] = []
        var spies: [Phase] = []
        var drawn: [Phase] = []
        for round in 1...max(1, rounds) {
            let r = try await raw(url: url, count: count)
            raws.append(r)
            report("round\(round).raw", describe(r))
            let s = try await spy(url: url, count: count, configuration: SpyConfiguration())
            spies.append(s)
            report("round\(round).spy", describe(s))
            let t = try await spy(url: url, count: count, configuration: SpyConfiguration(), drawing: true)
            drawn.append(t)
            report("round\(round).spy+tui", describe(t) + " frames=\(t.frames)")
        }
        let bestRaw = raws.map(\.rate).max()!
        let bestSpy = spies.map(\.rate).max()!
        let meanRaw = raws.map(\.rate).reduce(0, +) / Double(raws.count)
        let meanSpy = spies.map(\.rate).reduce(0, +) / Double(spies.count)
        report("raw_rate_best", String(format: "%.0f msg/s", bestRaw))
        report("spy_rate_best", String(format: "%.0f msg/s", bestSpy))
        report("ratio_best", String(format: "%.3f", bestSpy / bestRaw))
        report("ratio_mean", String(format: "%.3f", meanSpy / meanRaw))
        let bestDrawn = drawn.map(\.rate).max()!
        let meanDrawn = drawn.map(\.rate).reduce(0, +) / Double(drawn.count)
        report("spy_tui_rate_best", String(format: "%.0f msg/s", bestDrawn))
        report("tui_ratio_best", String(format: "%.3f", bestDrawn / bestRaw))
        report("tui_ratio_mean", String(format: "%.3f", meanDrawn / meanRaw))
    }

    /// One spy with the default configuration (100k ring) ingests `LATTICETOP_BENCH_RSS_COUNT`
    /// messages in a fresh process (run on its own by the script), published as fast as it takes
    /// them (at most 8192 ahead), so that it really ingests them all; then VmRSS is read while
    /// the spy still runs.
    @Test func memoryAfterIngest() async throws {
        let rssCount = Self.int("LATTICETOP_BENCH_RSS_COUNT", 10_000_000)
        let (url, process) = try server()
        defer { process?.stop() }
        report("rss_count", "\(rssCount)")
        let before = Self.memory()
        var after = (rss: 0, hwm: 0)
        var trimmed = (rss: 0, hwm: 0)
        let phase = try await spy(url: url, count: rssCount, configuration: SpyConfiguration(), paced: true) {
            after = Self.memory()
            Self.mallocTrim()
            trimmed = Self.memory()
        }
        report("rss_phase", describe(phase))
        report("rss_before_mib", String(format: "%.1f", Double(before.rss) / 1024))
        report("rss_after_mib", String(format: "%.1f (spy still running, %d messages ingested)", Double(after.rss) / 1024, phase.consumed))
        report("rss_after_malloc_trim_mib", String(format: "%.1f (free heap pages handed back: what is really in use)", Double(trimmed.rss) / 1024))
        report("rss_peak_mib", String(format: "%.1f", Double(after.hwm) / 1024))
    }

    // MARK: - Phases

    /// Raw baseline: a NATSKit subscription whose consumer only counts.
    func raw(url: String, count: Int) async throws -> Phase {
        let sub = try await NATSConnection.connect(NATSConnectionOptions(servers: [url], name: "bench-raw", ignoreDiscoveredServers: true))
        defer { sub.close() }
        let subscription = try sub.subscribe("bench.*.wrpc.>", bufferLimit: SpyConfiguration().subscriptionBufferLimit)
        try sub.flush()
        let consumed = Atomic<Int>(0)
        let consumer = Task.detached {
            while let batch = await subscription.nextBatch() {
                consumed.add(batch.count, ordering: .relaxed)
            }
        }
        let phase = try await measure(name: "raw", url: url, count: count) {
            (consumed.load(ordering: .relaxed), Int(subscription.dropped))
        }
        subscription.unsubscribe()
        await consumer.value
        return phase
    }

    /// The spy: a lattice-wide `SpySession` on lattice `bench`.
    /// `whileRunning` runs once everything is ingested, before the session stops.
    func spy(
        url: String, count: Int, configuration: SpyConfiguration, paced: Bool = false, drawing: Bool = false,
        whileRunning: () -> Void = {}
    ) async throws -> Phase {
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [url], name: "bench-spy", ignoreDiscoveredServers: true))
        defer { connection.close() }
        let session = SpySession(connection: connection, lattice: "bench", scope: .lattice, configuration: configuration)
        try await session.start()
        let capture = session.capture
        let stopDrawing = Atomic<Bool>(false)
        let drawer = drawing ? Self.onThread { Self.drawSpyPane(capture, until: stopDrawing) } : nil
        var phase = try await measure(name: paced ? "spy-paced" : drawing ? "spy+tui" : "spy", url: url, count: count, paced: paced) {
            let c = capture.counters
            return (Int(c.received), Int(c.subscriptionDropped))
        }
        stopDrawing.store(true, ordering: .relaxed)
        if let drawer { phase.frames = await drawer.value }
        whileRunning()
        let c = capture.counters
        let snapshot = capture.snapshot(limit: 1)
        report("\(phase.name).detail",
               "kept=\(c.kept) stored=\(snapshot.stored) overwritten=\(c.overwritten) pending=\(c.pending) evicted=\(c.evicted) "
                   + "malformed=\(c.malformed) unmatched=\(c.unmatchedReplies) ops=\(snapshot.operations.count)")
        await session.stop()
        return phase
    }

    /// Runs `body` on a new thread; the task ends with its result.
    static func onThread<R: Sendable>(_ body: @escaping @Sendable () -> R) -> Task<R, Never> {
        let (stream, continuation) = AsyncStream<R>.makeStream()
        Thread { continuation.yield(body()); continuation.finish() }.start()
        return Task {
            for await value in stream { return value }
            fatalError("thread ended without a result")
        }
    }

    static func onThread(_ body: @escaping @Sendable () throws -> Void) -> Task<Result<Void, any Error>, Never> {
        onThread { () -> Result<Void, any Error> in Result { try body() } }
    }

    /// Draws the Spy pane as the dashboard loop does (on a thread of its own, as the terminal
    /// loop would be), at most every 33 ms, until `stop`; returns the frames drawn.
    static func drawSpyPane(_ capture: SpyCapture, until stop: borrowing Atomic<Bool>) -> Int {
        let backend = MemoryBackend(width: 160, height: 45)
        var app = AppState()
        app.pane = .spy
        let dashboard = Dashboard(lattice: "bench", server: "bench", context: nil)
        let theme = Theme.default
        var frames = 0
        // As the app: the spy feed hands snapshots over (at most one a frame, when the capture
        // changed), the view is cached by the snapshot's revision.
        let feed = SpyFeed(capture: capture, scope: "lattice", revision: 0, interest: SpyInterest(live: true))
        var spy: SpyData?
        var cache = ViewCache()
        while !stop.load(ordering: .relaxed) {
            let start = ContinuousClock.now
            let now = Date()
            if let data = feed.next(now: now, taken: spy?.revision ?? 0) { spy = data }
            let header = dashboard.header(now: now)
            let key = ViewCache.Key(app: app, dashboard: dashboard, spy: spy, now: now)
            let view = cache.view(for: key, at: .now) { dashboard.view(for: .spy, drill: nil, now: now, paused: false, spy: spy) }
                .arranged(filter: nil, sort: nil)
            app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: backend.size, banner: header.banner != nil))
            backend.present(Screen.render(app: app, header: header, view: view, size: backend.size, theme: theme, now: now))
            frames += 1
            let spent = ContinuousClock.now - start
            if spent < .milliseconds(33) { Thread.sleep(forTimeInterval: seconds(.milliseconds(33) - spent)) }
        }
        return frames
    }

    /// Publishes `count` messages at full speed and waits until every one is consumed or dropped
    /// (or nothing moves for 5 s).
    /// `paced`: publish in blocks, keeping at most `window` messages ahead of the consumer (the
    /// memory phase: it should ingest every message, not drop most of them).
    func measure(
        name: String, url: String, count: Int, paced: Bool = false,
        progress: @escaping @Sendable () -> (consumed: Int, dropped: Int)
    ) async throws -> Phase {
        let publisher = try await NATSConnection.connect(NATSConnectionOptions(servers: [url], name: "bench-pub", ignoreDiscoveredServers: true))
        defer { publisher.close() }
        let cpuStart = Self.cpuSeconds()
        let start = ContinuousClock.now
        // The publisher runs on a thread of its own, as a separate publishing process would, not
        // on one of the (two) threads of Swift's cooperative pool that the consumers run on.
        let publishing = Self.onThread { () throws -> Void in
            let targets = (0..<8).map { "bench.component-\($0).wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle" }
            let payload = Data((0..<48).map { UInt8(truncatingIfNeeded: $0 &* 37) })
            let headers = ["source-id": "bench-httpserver", "link-name": "default"]
            let window = 8192
            for i in 0..<count {
                try publisher.publish(targets[i & 7], payload: payload, reply: "_INBOX.bench.\(i)", headers: headers)
                if paced && i % 2048 == 2047 {
                    while true {
                        let p = progress()
                        if p.consumed + p.dropped >= i + 1 - window { break }
                        Thread.sleep(forTimeInterval: 0.0002)
                    }
                }
            }
            try publisher.flush(timeout: .seconds(60))
        }
        var last = (consumed: 0, dropped: 0)
        var lastChange = ContinuousClock.now
        var end = ContinuousClock.now
        while true {
            let now = progress()
            let t = ContinuousClock.now
            if now != last {
                last = now
                lastChange = t
                end = t
            }
            if now.consumed + now.dropped >= count { break }
            if t - lastChange > .seconds(5) { break }
            try await Task.sleep(for: .milliseconds(1))
        }
        try await publishing.value.get()
        let seconds = Self.seconds(end - start)
        return Phase(name: name, published: count, consumed: last.consumed, dropped: last.dropped, seconds: seconds,
                     cpuSeconds: Self.cpuSeconds() - cpuStart)
    }

    // MARK: - Reporting

    func describe(_ p: Phase) -> String {
        String(format: "published=%d consumed=%d dropped=%d seconds=%.3f rate=%.0f msg/s cpu=%.2f s (%.2f cores)",
               p.published, p.consumed, p.dropped, p.seconds, p.rate, p.cpuSeconds, p.cpuSeconds / p.seconds)
    }

    func report(_ key: String, _ value: String) {
        print("SPYBENCH \(key): \(value)")
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// This process's user + system CPU time.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        _ = getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        _ = getrusage(RUSAGE_SELF, &usage)
        #endif
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// glibc's `malloc_trim(0)` (not in Swift's Glibc module): hands free heap pages back to the
    /// kernel, so that RSS shows what is in use rather than what the allocator keeps.
    static func mallocTrim() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    /// VmRSS and VmHWM from /proc/self/status, in KiB.
    static func memory() -> (rss: Int, hwm: Int) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }
}
