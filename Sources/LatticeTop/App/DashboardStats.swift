import Foundation
import LatticeState
#if canImport(Glibc)
import Glibc
#endif

/// The dashboard's own figures for benchmarks (`LATTICETOP_STATS=<path>`; off when unset, and
/// then the loop does nothing for it). The loop appends JSON lines to the file:
///
/// - `{"event":"picture","ms":…,"hosts":H,"inventoried":I,"links":L,"stale":S,"sync":"running"|"complete"|"none"}`
///   whenever a presented frame shows a picture that differs from the last one reported: `H`
///   hosts known, `I` of them with an inventory (from a sync's `host.get` or a heartbeat), `L`
///   links known, `S` hosts shown STALE, and whether a sync has completed. Only frames whose
///   view was built from the current state count.
/// - `{"event":"complete","ms":…,"hosts":H,"inventoried":I}` once: the first presented frame after
///   the first complete sync in which every host that answered its ping has its inventory.
/// - `{"event":"frames","ms":…,"window_ms":…,"frames":n,"p50_ms":…,"p99_ms":…,"max_ms":…,
///   "changed":{"frames":…,"p50_ms":…,"p99_ms":…,"max_ms":…}}` every `interval` seconds (the frames
///   of that window) and `"event":"frames_total"` on exit (the whole run). A frame's time is from
///   taking the view to the end of `present`; "changed" frames are those after the lattice state's
///   version moved (the view was rebuilt for new data, or ticked).
/// - `{"event":"handover","ms":…,"window_ms":…,"batches":b,"inputs":n,"max_batch":m}` every
///   `interval` seconds: the monitor's inputs the loop took in that window, in `b` batches, the
///   largest `m` (what waited for the loop at once: a backlog shows here).
/// - `{"event":"key","ms":…,"wall_ms":…,"latency_ms":…,"frame_ms":…,"rows":R}` for the first frame
///   presented after keys were read: `latency_ms` from reading the (first) key to the end of that
///   frame's `present`, `frame_ms` the frame alone, `R` the rows of the view it showed, and
///   `wall_ms` the end of the frame in milliseconds since 1970 (a script that sent the key
///   compares it with its own clock: the whole way from the key to the screen).
///
/// `ms` is milliseconds since the process started (Linux: from `/proc/self/stat`; elsewhere since
/// the stats began), so a script compares it with other processes' own start-to-done times.
struct DashboardStats {
    /// What one presented frame showed of the lattice.
    struct Picture: Equatable {
        var hosts: Int
        var inventoried: Int
        var links: Int
        /// Hosts the first complete sync heard answer (nil: no sync has completed yet).
        var answered: Int?
        var syncRunning: Bool
        /// Hosts shown STALE (no sign of life for too long, or no answer to a complete sync's ping).
        var stale: Int

        init(hosts: Int, inventoried: Int, links: Int = 0, answered: Int?, syncRunning: Bool, stale: Int = 0) {
            self.hosts = hosts
            self.inventoried = inventoried
            self.links = links
            self.answered = answered
            self.syncRunning = syncRunning
            self.stale = stale
        }

        init(_ state: LatticeState) {
            var stale = 0
            // By index: no copy of each host's record.
            for i in state.hosts.values.indices {
                if case .stale = state.hosts.values[i].liveness { stale += 1 }
            }
            self.init(hosts: state.hosts.count, inventoried: state.inventoriedHostCount, links: state.links.count,
                      answered: state.sync.lastHostsAnswered, syncRunning: state.sync.isRunning, stale: stale)
        }

        var syncText: String { answered != nil ? "complete" : syncRunning ? "running" : "none" }
        /// The whole picture: a sync completed and every host that answered it has its inventory.
        var isComplete: Bool { answered.map { inventoried >= $0 } ?? false }
    }

    /// Frame times (milliseconds) of one window.
    struct FrameTimes: Equatable {
        private(set) var all: [Double] = []
        private(set) var changed: [Double] = []

        mutating func add(_ ms: Double, changed didChange: Bool) {
            all.append(ms)
            if didChange { changed.append(ms) }
        }

        mutating func absorb(_ other: FrameTimes) {
            all += other.all
            changed += other.changed
        }

        var isEmpty: Bool { all.isEmpty }

        /// `"frames":n,"p50_ms":…,"p99_ms":…,"max_ms":…` of `samples` (nearest-rank percentiles).
        static func summary(_ samples: [Double]) -> String {
            let sorted = samples.sorted()
            func rank(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                let i = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
                return sorted[min(sorted.count - 1, max(0, i))]
            }
            return "\"frames\":\(sorted.count),\"p50_ms\":\(format(rank(50))),\"p99_ms\":\(format(rank(99))),\"max_ms\":\(format(sorted.last ?? 0))"
        }

        func line(event: String, ms: Double, windowMs: Double) -> String {
            "{\"event\":\"\(event)\",\"ms\":\(format(ms)),\"window_ms\":\(format(windowMs)),\(Self.summary(all)),\"changed\":{\(Self.summary(changed))}}"
        }
    }

    /// Seconds between `frames` lines.
    let interval: Double
    private var lastPicture: Picture?
    private(set) var completeReported = false
    private var window = FrameTimes()
    private var total = FrameTimes()
    private var windowStartMs: Double?
    private var firstFrameMs: Double?
    private var handOver = (startMs: Double?.none, batches: 0, inputs: 0, most: 0)

    init(interval: Double = 5) {
        self.interval = interval
    }

    /// A presented frame that took `frameMs`, at `ms` since start; `changed`: the state moved since
    /// the previous frame. Returns the lines to append (a `frames` line when the window is over).
    mutating func frame(ms: Double, frameMs: Double, changed: Bool) -> [String] {
        window.add(frameMs, changed: changed)
        if firstFrameMs == nil { firstFrameMs = ms }
        let start = windowStartMs ?? ms
        if windowStartMs == nil { windowStartMs = ms }
        guard ms - start >= interval * 1000 else { return [] }
        let line = window.line(event: "frames", ms: ms, windowMs: ms - start)
        total.absorb(window)
        window = FrameTimes()
        windowStartMs = ms
        return [line]
    }

    /// A batch of `count` inputs taken from the monitor's hand-over at `ms` (none: `count` 0);
    /// returns a `handover` line when the window is over.
    mutating func took(_ count: Int, ms: Double) -> [String] {
        if count > 0 {
            handOver.batches += 1
            handOver.inputs += count
            handOver.most = max(handOver.most, count)
        }
        guard let start = handOver.startMs else {
            handOver.startMs = ms
            return []
        }
        guard ms - start >= interval * 1000 else { return [] }
        defer { handOver = (ms, 0, 0, 0) }
        return ["{\"event\":\"handover\",\"ms\":\(Self.format(ms)),\"window_ms\":\(Self.format(ms - start)),\"batches\":\(handOver.batches),"
                + "\"inputs\":\(handOver.inputs),\"max_batch\":\(handOver.most)}"]
    }

    /// What a presented frame (built from the current state) showed; the lines to append.
    mutating func picture(_ picture: Picture, ms: Double) -> [String] {
        var out: [String] = []
        if picture != lastPicture {
            lastPicture = picture
            out.append("{\"event\":\"picture\",\"ms\":\(Self.format(ms)),\"hosts\":\(picture.hosts),\"inventoried\":\(picture.inventoried),\"links\":\(picture.links),\"stale\":\(picture.stale),\"sync\":\"\(picture.syncText)\"}")
        }
        if !completeReported, picture.isComplete {
            completeReported = true
            out.append("{\"event\":\"complete\",\"ms\":\(Self.format(ms)),\"hosts\":\(picture.hosts),\"inventoried\":\(picture.inventoried)}")
        }
        return out
    }

    /// The first frame presented after keys (see the `key` line).
    func key(ms: Double, wallMs: Double, latencyMs: Double, frameMs: Double, rows: Int) -> String {
        "{\"event\":\"key\",\"ms\":\(Self.format(ms)),\"wall_ms\":\(Self.format(wallMs)),\"latency_ms\":\(Self.format(latencyMs)),"
            + "\"frame_ms\":\(Self.format(frameMs)),\"rows\":\(rows)}"
    }

    /// The last lines: the open window and the whole run.
    mutating func finish(ms: Double) -> [String] {
        var out: [String] = []
        if !window.isEmpty, let start = windowStartMs {
            out.append(window.line(event: "frames", ms: ms, windowMs: ms - start))
            total.absorb(window)
            window = FrameTimes()
        }
        out.append(total.line(event: "frames_total", ms: ms, windowMs: ms - (firstFrameMs ?? ms)))
        return out
    }

    static func format(_ ms: Double) -> String { String(format: "%.3f", ms) }

    /// Seconds from process start to boot time's now, from `/proc/self/stat`'s start time (field
    /// 22, in clock ticks since boot) and the boot clock; nil when either cannot be read.
    static func secondsSinceProcessStart(stat: String, ticksPerSecond: Int, bootSeconds: Double) -> Double? {
        // The command (field 2) may contain spaces and parentheses: fields resume after the last ')'.
        guard let close = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), so field 22 is fields[19].
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let since = bootSeconds - ticks / Double(ticksPerSecond)
        return since >= 0 ? since : nil
    }
}

/// The stats file the loop writes (`DashboardStats`): created per run, lines appended unbuffered.
final class DashboardStatsFile {
    private var stats = DashboardStats()
    private let handle: FileHandle
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    /// Milliseconds since process start at `started`.
    private let offsetMs: Double
    private var lastVersion: Int?
    /// The state version whose picture was reported last (a picture is counted once a version).
    private var pictureVersion: Int?
    /// When keys not yet answered by a presented frame were read.
    private var keysReadAt: ContinuousClock.Instant?

    /// Opens (creates or appends to) `path`; nil when it cannot be written.
    init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        self.handle = handle
        started = clock.now
        offsetMs = (Self.processAge() ?? 0) * 1000
    }

    /// Milliseconds since the process started.
    var ms: Double {
        let d = clock.now - started
        return offsetMs + Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    private static func processAge() -> Double? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8) else { return nil }
        var boot = timespec()
        guard clock_gettime(CLOCK_BOOTTIME, &boot) == 0 else { return nil }
        return DashboardStats.secondsSinceProcessStart(stat: stat, ticksPerSecond: sysconf(Int32(_SC_CLK_TCK)),
                                                       bootSeconds: Double(boot.tv_sec) + Double(boot.tv_nsec) / 1e9)
        #else
        return nil
        #endif
    }

    /// Keys were read at `instant` (the first of them counts until a frame is presented).
    func keysRead(at instant: ContinuousClock.Instant) {
        if keysReadAt == nil { keysReadAt = instant }
    }

    /// A frame presented that began at `began`; `version` is the lattice state's, `viewVersion`
    /// the one the presented view was built from (nil: the screen does not read the state);
    /// `rows`, the rows of the view shown.
    func presented(began: ContinuousClock.Instant, version: Int, viewVersion: Int?, rows: Int, state: () -> DashboardStats.Picture) {
        let end = clock.now
        let frameMs = Self.milliseconds(end - began)
        let changed = lastVersion.map { $0 != version } ?? true
        lastVersion = version
        let now = ms
        var lines = stats.frame(ms: now, frameMs: frameMs, changed: changed)
        if let read = keysReadAt {
            keysReadAt = nil
            lines.append(stats.key(ms: now, wallMs: Date().timeIntervalSince1970 * 1000, latencyMs: Self.milliseconds(end - read),
                                   frameMs: frameMs, rows: rows))
        }
        if viewVersion == version, pictureVersion != version {
            pictureVersion = version
            lines += stats.picture(state(), ms: now)
        }
        write(lines)
    }

    private static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// A batch of `count` inputs taken from the monitor's hand-over.
    func took(_ count: Int) {
        write(stats.took(count, ms: ms))
    }

    func finish() {
        write(stats.finish(ms: ms))
        try? handle.synchronize()
        try? handle.close()
    }

    private func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        handle.write(Data(lines.map { $0 + "\n" }.joined().utf8))
    }
}
