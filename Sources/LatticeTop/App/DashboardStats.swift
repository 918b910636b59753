import Foundation
import LatticeState
import MallocTuning
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
/// - `{"event":"resync",…}` when a sync after the complete picture finishes: the `timeline`
///   line's marks and counts for that sync (when its ping, inventories, links and end arrived
///   and were taken).
/// - `{"event":"heap","ms":…,"rss":…,"system":…,"in_use":…,"free":…,"mmapped":…}` with each
///   `handover` line (glibc only): the process's resident bytes and the C library's heap
///   (`HeapFigures`, bytes): taken from the system, in use, kept free in the heaps, mmapped on
///   their own. RSS well above `in_use + mmapped` is free heap kept (fragmentation).
/// - `{"event":"key","ms":…,"wall_ms":…,"latency_ms":…,"frame_ms":…,"rows":R}` for the first frame
///   presented after keys were read: `latency_ms` from reading the (first) key to the end of that
///   frame's `present`, `frame_ms` the frame alone, `R` the rows of the view it showed, and
///   `wall_ms` the end of the frame in milliseconds since 1970 (a script that sent the key
///   compares it with its own clock: the whole way from the key to the screen).
/// - `{"event":"timeline","ms":…,"marks":{NAME:{"arrived_ms":…,"taken_ms":…},…},"pings":p,"inventories":i,
///   "apply_ms":…,"apply_cpu_ms":…,"batches":b,"frames_ms":…,"frames_cpu_ms":…,"frames":f}` with every picture line until the first
///   complete one (`SyncTimeline`): where the first sync's time went. A mark's `arrived_ms` is
///   when its input was made (the monitor stamps it as the message arrives), `taken_ms` when the
///   loop took it; marks: `loop_started`, `connected`, `sync_started` (the ping is sent),
///   `ping_first`, `ping_last`, `inventory_first`, `inventory_last`, `links`, `sync_finished`
///   (the `_last` ones so far); `apply_ms` is the loop's time folding inputs into the model (in
///   `batches`: folding into the model, recording for time travel, the tick), `frames_ms` its time building and presenting `frames` frames; the `_cpu_ms` ones are the UI thread's CPU time in them (the wall time also counts waiting for a core).
///
/// `frames`, `handover` and `heap` lines come every 5 s, or every `LATTICETOP_STATS_INTERVAL`
/// seconds (a resync's burst is seen at 1 s).
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
        /// The UI thread's CPU time of each frame after a change: on a busy machine a frame's
        /// wall time is also the time it waited for a core, which this tells apart.
        private(set) var changedCPU: [Double] = []

        mutating func add(_ ms: Double, changed didChange: Bool, cpuMs: Double = 0) {
            all.append(ms)
            if didChange {
                changed.append(ms)
                changedCPU.append(cpuMs)
            }
        }

        mutating func absorb(_ other: FrameTimes) {
            all += other.all
            changed += other.changed
            changedCPU += other.changedCPU
        }

        var isEmpty: Bool { all.isEmpty }

        /// `"frames":n,"p50_ms":…,"p99_ms":…,"max_ms":…` of `samples` (nearest-rank percentiles).
        static func summary(_ samples: [Double]) -> String {
            let sorted = samples.sorted()
            return "\"frames\":\(sorted.count),\"p50_ms\":\(format(rank(50, sorted))),\"p99_ms\":\(format(rank(99, sorted))),\"max_ms\":\(format(sorted.last ?? 0))"
        }

        /// The nearest-rank `p`th percentile of `sorted`.
        static func rank(_ p: Double, _ sorted: [Double]) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let i = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(sorted.count - 1, max(0, i))]
        }

        func line(event: String, ms: Double, windowMs: Double) -> String {
            let cpu = changedCPU.sorted()
            return "{\"event\":\"\(event)\",\"ms\":\(format(ms)),\"window_ms\":\(format(windowMs)),\(Self.summary(all)),"
                + "\"changed\":{\(Self.summary(changed)),\"cpu_p50_ms\":\(format(Self.rank(50, cpu))),\"cpu_p99_ms\":\(format(Self.rank(99, cpu)))}}"
        }
    }

    /// Where the first sync's time went, up to its complete picture (see the `timeline` line).
    struct SyncTimeline: Equatable {
        struct Mark: Equatable {
            var arrivedMs: Double
            var takenMs: Double
        }

        struct NamedMark: Equatable {
            var name: String
            var mark: Mark
        }

        /// Marks by name, in the order they were first set.
        private(set) var marks: [NamedMark] = []
        private(set) var pings = 0
        private(set) var inventories = 0
        private(set) var applyMs = 0.0
        private(set) var batches = 0
        private(set) var framesMs = 0.0
        private(set) var frames = 0
        /// The UI thread's CPU time in them (wall time above also counts waiting for a core).
        private(set) var applyCPUMs = 0.0
        private(set) var framesCPUMs = 0.0
        /// The first sync's ID: only its inputs count.
        private var syncID: Int?

        func mark(_ name: String) -> Mark? { marks.first { $0.name == name }?.mark }

        /// Sets `name` (`once`: only the first time).
        mutating func set(_ name: String, _ mark: Mark, once: Bool = true) {
            if let i = marks.firstIndex(where: { $0.name == name }) {
                if !once { marks[i].mark = mark }
            } else {
                marks.append(NamedMark(name: name, mark: mark))
            }
        }

        /// Inputs the loop took at `takenMs`; `arrivedMs` converts an input's time.
        mutating func took(_ inputs: [LatticeInput], takenMs: Double, arrivedMs: (Date) -> Double) {
            for input in inputs {
                func note(_ name: String, once: Bool = true) { set(name, Mark(arrivedMs: arrivedMs(input.at), takenMs: takenMs), once: once) }
                switch input {
                case .connection(.connected, _): note("connected")
                case .syncStarted(let id, _) where syncID == nil:
                    syncID = id
                    note("sync_started")
                case .hostPinged(_, let id, _) where id == syncID:
                    pings += 1
                    note("ping_first")
                    note("ping_last", once: false)
                case .inventory(_, let id, _) where id == syncID:
                    inventories += 1
                    note("inventory_first")
                    note("inventory_last", once: false)
                case .links(_, let id, _) where id == syncID: note("links")
                case .syncFinished(let id, _, _, _) where id == syncID: note("sync_finished")
                default: break
                }
            }
        }

        /// The loop folded a batch into the model in `ms` (`cpuMs` of its thread's CPU time).
        mutating func applied(ms: Double, cpuMs: Double = 0) {
            applyMs += ms
            applyCPUMs += cpuMs
            batches += 1
        }

        /// The loop built and presented a frame in `ms` (`cpuMs` of its thread's CPU time).
        mutating func framed(ms: Double, cpuMs: Double = 0) {
            framesMs += ms
            framesCPUMs += cpuMs
            frames += 1
        }

        func line(ms: Double, event: String = "timeline") -> String {
            let marks = self.marks.map { "\"\($0.name)\":{\"arrived_ms\":\(format($0.mark.arrivedMs)),\"taken_ms\":\(format($0.mark.takenMs))}" }
            return "{\"event\":\"\(event)\",\"ms\":\(format(ms)),\"marks\":{\(marks.joined(separator: ","))},\"pings\":\(pings),"
                + "\"inventories\":\(inventories),\"apply_ms\":\(format(applyMs)),\"apply_cpu_ms\":\(format(applyCPUMs)),"
                + "\"batches\":\(batches),\"frames_ms\":\(format(framesMs)),\"frames_cpu_ms\":\(format(framesCPUMs)),\"frames\":\(frames)}"
        }
    }

    /// Seconds between `frames` lines.
    let interval: Double
    /// The first sync's timeline; no longer kept once its complete picture was reported.
    private(set) var timeline = SyncTimeline()
    private var lastPicture: Picture?
    private(set) var completeReported = false
    private var window = FrameTimes()
    private var total = FrameTimes()
    private var windowStartMs: Double?
    private var firstFrameMs: Double?
    private var handOver = (startMs: Double?.none, batches: 0, inputs: 0, most: 0)
    /// The resync running after the first complete picture (its `resync` line when it finishes).
    private var resync: SyncTimeline?

    init(interval: Double = 5) {
        self.interval = interval
    }

    /// Wall milliseconds over which a frame after a change gets a `slow_frame` line.
    static let slowFrameMs = 4.0

    /// What a thread went through (`getrusage(RUSAGE_THREAD)`): page faults, and how often it
    /// gave up its processor (waiting) or had it taken away (preempted).
    struct ThreadUsage: Equatable {
        var minorFaults = 0
        var majorFaults = 0
        var voluntarySwitches = 0
        var involuntarySwitches = 0

        /// What happened between `earlier` and `self`.
        func since(_ earlier: ThreadUsage) -> ThreadUsage {
            ThreadUsage(minorFaults: minorFaults - earlier.minorFaults, majorFaults: majorFaults - earlier.majorFaults,
                        voluntarySwitches: voluntarySwitches - earlier.voluntarySwitches,
                        involuntarySwitches: involuntarySwitches - earlier.involuntarySwitches)
        }

        /// `,"minflt":…,"majflt":…,"nvcsw":…,"nivcsw":…`
        var fields: String {
            ",\"minflt\":\(minorFaults),\"majflt\":\(majorFaults),\"nvcsw\":\(voluntarySwitches),\"nivcsw\":\(involuntarySwitches)"
        }
    }

    /// A presented frame that took `frameMs`, at `ms` since start; `changed`: the state moved since
    /// the previous frame. Returns the lines to append (a `slow_frame` line for a slow frame after
    /// a change, a `frames` line when the window is over). `stealMs`, `interruptsMs`: how far the
    /// machine's steal time (`/proc/stat`: time the hypervisor ran something else on a virtual
    /// processor) and its interrupt time moved during the frame, nil when unknown; `usage`, the
    /// UI thread's page faults and context switches during it (nil: unknown).
    mutating func frame(ms: Double, frameMs: Double, changed: Bool, cpuMs: Double = 0, stealMs: Double? = nil,
                        interruptsMs: Double? = nil, usage: ThreadUsage? = nil) -> [String] {
        window.add(frameMs, changed: changed, cpuMs: cpuMs)
        if !completeReported { timeline.framed(ms: frameMs, cpuMs: cpuMs) }
        if firstFrameMs == nil { firstFrameMs = ms }
        var lines: [String] = []
        if changed && frameMs > Self.slowFrameMs {
            // Each slow frame on its own, so its wall and CPU time can be set beside what else
            // happened at that moment (the window lines give only percentiles).
            lines.append("{\"event\":\"slow_frame\",\"ms\":\(Self.format(ms)),\"wall_ms\":\(Self.format(frameMs)),"
                         + "\"cpu_ms\":\(Self.format(cpuMs))" + (stealMs.map { ",\"steal_ms\":\(Self.format($0))" } ?? "")
                         + (interruptsMs.map { ",\"interrupts_ms\":\(Self.format($0))" } ?? "") + (usage?.fields ?? "") + "}")
        }
        let start = windowStartMs ?? ms
        if windowStartMs == nil { windowStartMs = ms }
        guard ms - start >= interval * 1000 else { return lines }
        lines.append(window.line(event: "frames", ms: ms, windowMs: ms - start))
        total.absorb(window)
        window = FrameTimes()
        windowStartMs = ms
        return lines
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

    /// Inputs the loop took (see `SyncTimeline.took`); nothing once the picture was complete.
    mutating func took(_ inputs: [LatticeInput], takenMs: Double, arrivedMs: (Date) -> Double) {
        guard !completeReported else { return }
        timeline.took(inputs, takenMs: takenMs, arrivedMs: arrivedMs)
    }

    /// Inputs the loop took after the complete picture: the `resync` line of each sync that
    /// finished among them (its marks as in the `timeline` line).
    mutating func tookLater(_ inputs: [LatticeInput], takenMs: Double, arrivedMs: (Date) -> Double) -> [String] {
        var lines: [String] = []
        for input in inputs {
            if case .syncStarted = input { resync = SyncTimeline() }
            guard resync != nil else { continue }
            resync!.took([input], takenMs: takenMs, arrivedMs: arrivedMs)
            if resync!.mark("sync_finished") != nil {
                lines.append(resync!.line(ms: takenMs, event: "resync"))
                resync = nil
            }
        }
        return lines
    }

    /// The loop's time folding a batch in (until the complete picture).
    mutating func applied(ms: Double, cpuMs: Double = 0) {
        if !completeReported { timeline.applied(ms: ms, cpuMs: cpuMs) }
    }


    /// The loop started, at `ms`.
    mutating func loopStarted(ms: Double) {
        timeline.set("loop_started", SyncTimeline.Mark(arrivedMs: ms, takenMs: ms))
    }

    /// What a presented frame (built from the current state) showed; the lines to append (with
    /// a `timeline` line after each picture line until the complete one).
    mutating func picture(_ picture: Picture, ms: Double) -> [String] {
        var out: [String] = []
        let wasComplete = completeReported
        if picture != lastPicture {
            lastPicture = picture
            out.append("{\"event\":\"picture\",\"ms\":\(Self.format(ms)),\"hosts\":\(picture.hosts),\"inventoried\":\(picture.inventoried),\"links\":\(picture.links),\"stale\":\(picture.stale),\"sync\":\"\(picture.syncText)\"}")
        }
        if !completeReported, picture.isComplete {
            completeReported = true
            out.append("{\"event\":\"complete\",\"ms\":\(Self.format(ms)),\"hosts\":\(picture.hosts),\"inventoried\":\(picture.inventoried)}")
        }
        if !wasComplete, !out.isEmpty { out.append(timeline.line(ms: ms)) }
        return out
    }

    /// The `heap` line: resident bytes `rss` (nil: unknown) and the C library's heap figures.
    static func heap(ms: Double, rss: Int?, figures: HeapFigures) -> String {
        "{\"event\":\"heap\",\"ms\":\(format(ms)),\"rss\":\(rss.map(String.init) ?? "null"),\"system\":\(figures.system),"
            + "\"in_use\":\(figures.inUse),\"free\":\(figures.free),\"mmapped\":\(figures.mmapped)}"
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
    private var stats = DashboardStats(interval: DashboardStatsFile.interval)
    private let handle: FileHandle
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    /// The wall clock at `started` (inputs carry wall-clock times).
    private let startedWall: Date
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
        startedWall = Date()
        offsetMs = (Self.processAge() ?? 0) * 1000
        stats.loopStarted(ms: offsetMs)
    }

    /// Milliseconds since process start of a wall-clock time (an input's).
    func ms(of date: Date) -> Double { offsetMs + date.timeIntervalSince(startedWall) * 1000 }

    /// Seconds between `frames`, `handover` and `heap` lines: `LATTICETOP_STATS_INTERVAL`, else 5.
    static let interval: Double = ProcessInfo.processInfo.environment["LATTICETOP_STATS_INTERVAL"]
        .flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 5

    /// Inputs the loop took from the monitor (for the `timeline` line, then `resync` lines).
    func took(_ inputs: [LatticeInput]) {
        guard !inputs.isEmpty else { return }
        guard stats.completeReported else { return stats.took(inputs, takenMs: ms, arrivedMs: ms(of:)) }
        write(stats.tookLater(inputs, takenMs: ms, arrivedMs: ms(of:)))
    }

    /// The loop folded a batch in, from `began` (and `beganCPU`, `threadCPUMs()`) to now.
    func applied(since began: ContinuousClock.Instant, cpu beganCPU: Double) {
        stats.applied(ms: Self.milliseconds(clock.now - began), cpuMs: Self.threadCPUMs() - beganCPU)
    }

    /// The machine's steal time (the hypervisor giving a virtual processor to something else) and
    /// its time in interrupts and soft interrupts (which a thread's CPU clock does not count while
    /// they run on its processor), milliseconds since boot, from `/proc/stat`'s first line (clock
    /// ticks of 10 ms). Nil where it cannot be read.
    static func machineTimes() -> (steal: Double, interrupts: Double)? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        // cpu user nice system idle iowait irq softirq steal …
        let fields = stat.prefix { $0 != "\n" }.split(separator: " ")
        guard fields.count > 8, fields[0] == "cpu", let irq = Double(fields[6]), let softirq = Double(fields[7]),
              let steal = Double(fields[8]) else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard hz > 0 else { return nil }
        return (steal * 1000 / hz, (irq + softirq) * 1000 / hz)
    }

    /// The calling thread's page faults and context switches so far (nil where they cannot be read).
    static func threadUsage() -> DashboardStats.ThreadUsage? {
        #if os(Linux)
        var usage = rusage()
        // RUSAGE_THREAD (1): Glibc's module does not export it (it is a GNU extension).
        guard getrusage(__rusage_who_t(1), &usage) == 0 else { return nil }
        return DashboardStats.ThreadUsage(minorFaults: usage.ru_minflt, majorFaults: usage.ru_majflt,
                                          voluntarySwitches: usage.ru_nvcsw, involuntarySwitches: usage.ru_nivcsw)
        #else
        return nil
        #endif
    }

    /// The calling thread's CPU time in milliseconds (0 where it cannot be read).
    static func threadCPUMs() -> Double {
        var t = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0 else { return 0 }
        return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
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
    func presented(began: ContinuousClock.Instant, beganCPU: Double = 0, beganMachine: (steal: Double, interrupts: Double)? = nil,
                   beganUsage: DashboardStats.ThreadUsage? = nil, version: Int, viewVersion: Int?, rows: Int,
                   state: () -> DashboardStats.Picture) {
        let end = clock.now
        let frameMs = Self.milliseconds(end - began)
        let cpuMs = beganCPU > 0 ? Self.threadCPUMs() - beganCPU : 0
        let changed = lastVersion.map { $0 != version } ?? true
        lastVersion = version
        let now = ms
        let machine = frameMs > DashboardStats.slowFrameMs ? beganMachine.flatMap { before in
            Self.machineTimes().map { (steal: $0.steal - before.steal, interrupts: $0.interrupts - before.interrupts) }
        } : nil
        let usage = frameMs > DashboardStats.slowFrameMs ? beganUsage.flatMap { before in Self.threadUsage()?.since(before) } : nil
        var lines = stats.frame(ms: now, frameMs: frameMs, changed: changed, cpuMs: cpuMs, stealMs: machine?.steal,
                                interruptsMs: machine?.interrupts, usage: usage)
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
        let now = ms
        var lines = stats.took(count, ms: now)
        // With each `handover` line: the heap at that moment.
        if !lines.isEmpty, let figures = HeapFigures.now() {
            lines.append(DashboardStats.heap(ms: now, rss: Self.residentBytes(), figures: figures))
        }
        write(lines)
    }

    /// The process's resident bytes (`/proc/self/statm`); nil where it cannot be read.
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
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
