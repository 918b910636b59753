import Foundation
import LatticeProtocol
@testable import LatticeSim
import LatticeState
import MallocTuning
import Testing
@testable import LatticeTop

/// `LATTICETOP_STATS`: the dashboard's own figures for benchmarks (`DashboardStats`): the pure
/// rules here, and the real binary in tmux writing them against a simulated lattice.
@Suite struct DashboardStatsTests {
    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    /// Without the `timeline` lines that follow picture lines until the complete picture.
    static func withoutTimeline(_ lines: [String]) -> [String] { lines.filter { !$0.contains("\"event\":\"timeline\"") } }

    @Test func aPictureLineWhenWhatIsShownChangesAndCompleteOnceAfterTheSync() throws {
        typealias Picture = DashboardStats.Picture
        /// The stats, their picture lines without the timeline lines (tested on their own below).
        struct Stripped {
            var stats: DashboardStats
            var completeReported: Bool { stats.completeReported }
            mutating func picture(_ p: Picture, ms: Double) -> [String] { DashboardStatsTests.withoutTimeline(stats.picture(p, ms: ms)) }
        }
        var stats = Stripped(stats: DashboardStats())
        let syncing = stats.picture(Picture(hosts: 3, inventoried: 1, answered: nil, syncRunning: true), ms: 10)
        #expect(syncing.count == 1)
        let first = try Self.object(syncing[0])
        #expect(first["event"] as? String == "picture" && first["hosts"] as? Int == 3 && first["inventoried"] as? Int == 1)
        #expect(first["sync"] as? String == "running" && first["ms"] as? Double == 10)
        // The same picture again: nothing.
        #expect(stats.picture(Picture(hosts: 3, inventoried: 1, answered: nil, syncRunning: true), ms: 20).isEmpty)
        // Every host inventoried but no sync completed yet: not complete.
        let all = stats.picture(Picture(hosts: 3, inventoried: 3, answered: nil, syncRunning: true), ms: 30)
        #expect(all.count == 1 && !stats.completeReported)
        // The sync completed, one of the answering hosts still without inventory: not complete.
        #expect(stats.picture(Picture(hosts: 4, inventoried: 3, answered: 4, syncRunning: false), ms: 40).count == 1)
        #expect(!stats.completeReported)
        let done = stats.picture(Picture(hosts: 4, inventoried: 4, answered: 4, syncRunning: false), ms: 50.5)
        #expect(done.count == 2)
        let complete = try Self.object(done[1])
        #expect(complete["event"] as? String == "complete" && complete["ms"] as? Double == 50.5 && complete["inventoried"] as? Int == 4)
        #expect(try Self.object(done[0])["sync"] as? String == "complete")
        // Complete is said once.
        let later = stats.picture(Picture(hosts: 5, inventoried: 5, answered: 5, syncRunning: false), ms: 60)
        #expect(later.count == 1 && later[0].contains("\"picture\""))
        // The links listed later: a picture of its own, with their count.
        let linked = stats.picture(Picture(hosts: 5, inventoried: 5, links: 20, answered: 5, syncRunning: false), ms: 70)
        #expect(linked.count == 1)
        #expect(try Self.object(linked[0])["links"] as? Int == 20)
        #expect(try Self.object(later[0])["links"] as? Int == 0)
        // Hosts shown STALE are part of the picture.
        let stale = stats.picture(Picture(hosts: 5, inventoried: 5, answered: 5, syncRunning: false, stale: 2), ms: 80)
        #expect(stale.count == 1)
        #expect(try Self.object(stale[0])["stale"] as? Int == 2)
        #expect(try Self.object(later[0])["stale"] as? Int == 0)
    }

    /// Where the first sync's time went: when its inputs arrived and were taken, the loop's
    /// time folding them in and drawing, after each picture line until the complete one.
    @Test func aTimelineLineFollowsEachPictureUntilTheCompleteOne() throws {
        typealias Picture = DashboardStats.Picture
        var stats = DashboardStats()
        stats.loopStarted(ms: 70)
        let base = Date(timeIntervalSince1970: 1_780_000_000)
        let arrived = { (date: Date) in date.timeIntervalSince(base) * 1000 }
        let host = { (i: Int) in HostInfo(id: "NHOST\(i)", friendlyName: "h\(i)", lattice: "default", uptimeSeconds: 1) }
        let inventory = { (i: Int) in HostInventory(components: [], providers: [], hostID: "NHOST\(i)", friendlyName: "h\(i)", labels: [:],
                                                     version: "1.9.2", uptimeHuman: "1s", uptimeSeconds: 1) }
        stats.took([.connection(.connected(server: "nats://x"), at: base + 0.05), .syncStarted(id: 3, at: base + 0.06),
                    .hostPinged(host(1), syncID: 3, at: base + 0.1), .hostPinged(host(2), syncID: 3, at: base + 0.12)],
                   takenMs: 150, arrivedMs: arrived)
        stats.applied(ms: 20, cpuMs: 15)
        _ = stats.frame(ms: 180, frameMs: 10, changed: true, cpuMs: 8)
        let first = stats.picture(Picture(hosts: 2, inventoried: 0, answered: nil, syncRunning: true), ms: 180)
        #expect(first.count == 2)
        let line = try Self.object(first[1])
        #expect(line["event"] as? String == "timeline" && line["pings"] as? Int == 2 && line["inventories"] as? Int == 0)
        let marks = try #require(line["marks"] as? [String: [String: Double]])
        #expect(marks["loop_started"] == ["arrived_ms": 70, "taken_ms": 70])
        #expect(marks["ping_first"]?["arrived_ms"] == 100 && marks["ping_last"]?["arrived_ms"] == 120 && marks["ping_last"]?["taken_ms"] == 150)
        #expect(marks["sync_started"]?["arrived_ms"] == 60 && marks["connected"]?["arrived_ms"] == 50)
        #expect(line["apply_ms"] as? Double == 20 && line["batches"] as? Int == 1 && line["frames_ms"] as? Double == 10)
        #expect(line["apply_cpu_ms"] as? Double == 15 && line["frames_cpu_ms"] as? Double == 8 && line["frames"] as? Int == 1)
        // Another sync's replies do not count; the first's inventories and its end do.
        stats.took([.hostPinged(host(9), syncID: 4, at: base + 0.2), .inventory(inventory(1), syncID: 3, at: base + 0.21),
                    .inventory(inventory(2), syncID: 3, at: base + 0.25), .syncFinished(id: 3, hostsAnswered: ["NHOST1", "NHOST2"], complete: true, at: base + 0.3)],
                   takenMs: 310, arrivedMs: arrived)
        let done = stats.picture(Picture(hosts: 2, inventoried: 2, answered: 2, syncRunning: false), ms: 320)
        #expect(done.count == 3 && done[1].contains("\"complete\""))
        let last = try Self.object(done[2])
        #expect(last["pings"] as? Int == 2 && last["inventories"] as? Int == 2)
        let lastMarks = try #require(last["marks"] as? [String: [String: Double]])
        #expect(lastMarks["inventory_first"]?["arrived_ms"] == 210 && lastMarks["inventory_last"]?["arrived_ms"] == 250)
        #expect(lastMarks["sync_finished"]?["taken_ms"] == 310)
        // After the complete picture: no more timeline.
        #expect(stats.picture(Picture(hosts: 3, inventoried: 3, answered: 2, syncRunning: false), ms: 400).count == 1)
    }

    /// After the complete picture each later sync gets a `resync` line when it finishes: when
    /// its inputs arrived and were taken, as the first sync's `timeline` line says.
    @Test func aResyncLineWhenALaterSyncFinishes() throws {
        var stats = DashboardStats()
        let base = Date(timeIntervalSince1970: 1_780_000_000)
        let arrived = { (date: Date) in date.timeIntervalSince(base) * 1000 }
        let host = HostInfo(id: "NHOST1", friendlyName: "h1", lattice: "default", uptimeSeconds: 1)
        let inventory = HostInventory(components: [], providers: [], hostID: "NHOST1", friendlyName: "h1", labels: [:],
                                      version: "1.9.2", uptimeHuman: "1s", uptimeSeconds: 1)
        #expect(stats.tookLater([.hostPinged(host, syncID: 6, at: base)], takenMs: 10, arrivedMs: arrived).isEmpty,
                "nothing before a sync starts")
        #expect(stats.tookLater([.syncStarted(id: 7, at: base + 1), .hostPinged(host, syncID: 7, at: base + 1.1)],
                                takenMs: 1_200, arrivedMs: arrived).isEmpty)
        let lines = stats.tookLater([.inventory(inventory, syncID: 7, at: base + 1.3), .links([], syncID: 7, at: base + 1.4),
                                     .syncFinished(id: 7, hostsAnswered: ["NHOST1"], complete: true, at: base + 3)],
                                    takenMs: 3_100, arrivedMs: arrived)
        #expect(lines.count == 1)
        let line = try Self.object(try #require(lines.first))
        #expect(line["event"] as? String == "resync" && line["pings"] as? Int == 1 && line["inventories"] as? Int == 1)
        let marks = try #require(line["marks"] as? [String: [String: Double]])
        #expect(marks["sync_started"] == ["arrived_ms": 1_000, "taken_ms": 1_200])
        #expect(marks["inventory_last"]?["arrived_ms"] == 1_300 && marks["links"]?["arrived_ms"] == 1_400)
        #expect(marks["sync_finished"] == ["arrived_ms": 3_000, "taken_ms": 3_100])
        // Once: the next sync starts its own.
        #expect(stats.tookLater([.inventory(inventory, syncID: 7, at: base + 4)], takenMs: 4_000, arrivedMs: arrived).isEmpty)
    }

    @Test func frameWindowsAndTheTotalWithNearestRankPercentiles() throws {
        var stats = DashboardStats(interval: 1)
        var lines: [String] = []
        // 100 frames over 990 ms: 1…100 ms, the even ones after a state change.
        // The UI thread's CPU time of a frame: a tenth of its wall time.
        for i in 1...100 { lines += stats.frame(ms: Double(i * 10 - 10), frameMs: Double(i), changed: i % 2 == 0, cpuMs: Double(i) / 10) }
        // Only the slow frames after a change (over 4 ms: 6, 8, …, 100) have lines of their own.
        #expect(try lines.map { try Self.object($0)["wall_ms"] as? Double } == stride(from: 6.0, through: 100, by: 2).map { $0 })
        lines = []
        // The frame at 1000 ms closes the window (101 frames).
        lines += stats.frame(ms: 1000, frameMs: 500, changed: false)
        #expect(lines.count == 1)
        let window = try Self.object(lines[0])
        #expect(window["event"] as? String == "frames" && window["frames"] as? Int == 101 && window["window_ms"] as? Double == 1000)
        #expect(window["p50_ms"] as? Double == 51 && window["p99_ms"] as? Double == 100 && window["max_ms"] as? Double == 500)
        let changed = try #require(window["changed"] as? [String: Any])
        #expect(changed["frames"] as? Int == 50 && changed["p50_ms"] as? Double == 50 && changed["p99_ms"] as? Double == 100)
        #expect(changed["cpu_p50_ms"] as? Double == 5 && changed["cpu_p99_ms"] as? Double == 10)
        // Two more frames, then the end: the open window and the whole run.
        lines = stats.frame(ms: 1100, frameMs: 2, changed: true) + stats.frame(ms: 1200, frameMs: 4, changed: true)
        #expect(lines.isEmpty)
        let end = stats.finish(ms: 1300)
        #expect(end.count == 2)
        #expect(try Self.object(end[0])["frames"] as? Int == 2)
        let total = try Self.object(end[1])
        #expect(total["event"] as? String == "frames_total" && total["frames"] as? Int == 103 && total["window_ms"] as? Double == 1300)
        #expect(try #require(total["changed"] as? [String: Any])["frames"] as? Int == 52)
        // No frames at all: a total of zero frames, still valid JSON.
        var idle = DashboardStats()
        let zero = try Self.object(try #require(idle.finish(ms: 5).last))
        #expect(zero["frames"] as? Int == 0 && zero["p99_ms"] as? Double == 0)
    }

    @Test func aSlowFrameAfterAChangeHasALineWithItsWallCPUStealAndInterruptTime() throws {
        var stats = DashboardStats(interval: 60)
        #expect(stats.frame(ms: 10, frameMs: 4, changed: true, cpuMs: 3).isEmpty, "4 ms is not slow")
        #expect(stats.frame(ms: 20, frameMs: 30, changed: false, cpuMs: 3).isEmpty, "a frame without a change is not counted")
        let lines = stats.frame(ms: 30, frameMs: 12.5, changed: true, cpuMs: 2.25, stealMs: 10, interruptsMs: 20)
        #expect(lines.count == 1)
        let line = try Self.object(lines[0])
        #expect(line["event"] as? String == "slow_frame" && line["ms"] as? Double == 30 && line["wall_ms"] as? Double == 12.5)
        #expect(line["cpu_ms"] as? Double == 2.25 && line["steal_ms"] as? Double == 10 && line["interrupts_ms"] as? Double == 20)
        #expect(try Self.object(stats.frame(ms: 40, frameMs: 5, changed: true)[0])["steal_ms"] == nil, "unknown steal is left out")
        #expect(try Self.object(stats.frame(ms: 45, frameMs: 5, changed: true)[0])["nivcsw"] == nil, "unknown usage is left out")
        let before = DashboardStats.ThreadUsage(minorFaults: 10, majorFaults: 1, voluntarySwitches: 5, involuntarySwitches: 7)
        let after = DashboardStats.ThreadUsage(minorFaults: 13, majorFaults: 1, voluntarySwitches: 9, involuntarySwitches: 8)
        let used = try Self.object(stats.frame(ms: 50, frameMs: 6, changed: true, usage: after.since(before))[0])
        #expect(used["minflt"] as? Int == 3 && used["majflt"] as? Int == 0 && used["nvcsw"] as? Int == 4 && used["nivcsw"] as? Int == 1)
    }

    @Test func theThreadsFaultsAndSwitchesAreReadAndOnlyGrow() {
        #if os(Linux)
        let first = DashboardStatsFile.threadUsage()
        #expect(first != nil)
        // Touch fresh pages: this thread's minor faults move.
        let pages = UnsafeMutableRawPointer.allocate(byteCount: 64 << 20, alignment: 4096)
        defer { pages.deallocate() }
        for offset in stride(from: 0, to: 64 << 20, by: 4096) { pages.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        let second = DashboardStatsFile.threadUsage()
        #expect(second.map { $0.minorFaults > first!.minorFaults } == true, "64 MiB of fresh pages fault")
        #expect(second.map { $0.voluntarySwitches >= first!.voluntarySwitches && $0.involuntarySwitches >= first!.involuntarySwitches } == true)
        #endif
    }

    @Test func theMachinesStealTimeIsReadWhereThereIsProcStat() {
        guard FileManager.default.fileExists(atPath: "/proc/stat") else { return }
        let first = DashboardStatsFile.machineTimes()?.steal
        #expect(first != nil && first! >= 0)
        #expect(DashboardStatsFile.machineTimes()!.steal >= first!, "it only grows")
        #expect(DashboardStatsFile.machineTimes().map { $0.interrupts >= 0 } == true)
    }

    @Test func aKeyLineSaysHowLongTheKeyTookToReachTheScreen() throws {
        let line = try Self.object(DashboardStats().key(ms: 1500.25, wallMs: 1_780_000_000_123.5, latencyMs: 12.5, frameMs: 3.25, rows: 100_000))
        #expect(line["event"] as? String == "key" && line["ms"] as? Double == 1500.25 && line["wall_ms"] as? Double == 1_780_000_000_123.5)
        #expect(line["latency_ms"] as? Double == 12.5 && line["frame_ms"] as? Double == 3.25 && line["rows"] as? Int == 100_000)
    }

    @Test func handOverWindowsCountTheBatchesTakenAndTheLargest() throws {
        var stats = DashboardStats(interval: 1)
        #expect(stats.took(0, ms: 0).isEmpty)
        #expect(stats.took(5, ms: 100).isEmpty)
        #expect(stats.took(0, ms: 200).isEmpty)
        #expect(stats.took(40, ms: 900).isEmpty)
        let lines = stats.took(1, ms: 1000)
        #expect(lines.count == 1)
        let window = try Self.object(lines[0])
        #expect(window["event"] as? String == "handover" && window["window_ms"] as? Double == 1000)
        #expect(window["batches"] as? Int == 3 && window["inputs"] as? Int == 46 && window["max_batch"] as? Int == 40)
        // The next window starts empty.
        let next = try Self.object(try #require(stats.took(0, ms: 2000).first))
        #expect(next["batches"] as? Int == 0 && next["inputs"] as? Int == 0 && next["max_batch"] as? Int == 0)
    }

    /// The `heap` line (written with each `handover` line): glibc's figures, read at run time.
    /// Fails when the figures cannot be read on glibc (`HeapFigures.now()` nil) or do not see
    /// memory that is allocated and kept.
    @Test func heapFiguresSeeWhatIsAllocatedAndTheHeapLineSaysThem() throws {
        #if os(Linux) && canImport(Glibc)
        let before = try #require(HeapFigures.now(), "glibc's mallinfo2 not read")
        // 16 MiB in 4 KiB blocks (heap chunks, not mmapped blocks), kept until read again.
        let blocks = (0..<4096).map { i in [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 4096) }
        let after = try #require(HeapFigures.now())
        #expect(after.inUse - before.inUse >= 15 << 20, "\(before) → \(after)")
        #expect(after.system >= after.inUse && after.free >= 0 && after.mmapped >= 0)
        #expect(blocks.count == 4096)
        let line = try Self.object(DashboardStats.heap(ms: 12.5, rss: 1 << 30, figures: after))
        #expect(line["event"] as? String == "heap" && line["ms"] as? Double == 12.5 && line["rss"] as? Int == 1 << 30)
        #expect(line["in_use"] as? Int == after.inUse && line["free"] as? Int == after.free)
        #expect(line["system"] as? Int == after.system && line["mmapped"] as? Int == after.mmapped)
        #expect(try Self.object(DashboardStats.heap(ms: 1, rss: nil, figures: after))["rss"] is NSNull)
        #endif
    }

    @Test func processAgeFromProcSelfStat() {
        // The command may hold spaces and parentheses; the start time is field 22 (ticks since boot).
        let rest = (4...30).map { $0 == 22 ? "12345" : "\($0)" }.joined(separator: " ")
        let age = DashboardStats.secondsSinceProcessStart(stat: "4242 (late tea (x) y) S " + rest, ticksPerSecond: 100, bootSeconds: 200.5)
        #expect(abs((age ?? 0) - 77.05) < 1e-9)
        #expect(DashboardStats.secondsSinceProcessStart(stat: "garbage", ticksPerSecond: 100, bootSeconds: 1) == nil)
        #expect(DashboardStats.secondsSinceProcessStart(stat: "1 (a) S 2 3", ticksPerSecond: 100, bootSeconds: 1) == nil)
        // A start after "now" (clocks disagree) is no age.
        #expect(DashboardStats.secondsSinceProcessStart(stat: "1 (a) S " + (4...30).map { $0 == 22 ? "999999" : "0" }.joined(separator: " "),
                                                        ticksPerSecond: 100, bootSeconds: 1) == nil)
    }

    /// The real binary in tmux with `LATTICETOP_STATS`: the complete picture of every simulated
    /// host is reported once, after the pictures leading to it; on `q`, the frame totals.
    @Test(.timeLimit(.minutes(2))) func theDashboardWritesItsFiguresToTheStatsFile() async throws {
        let lattice = try await SimulatedLattice.start(hosts: 4)
        defer { lattice.stop() }
        let term = try TmuxTerminal(width: 160, height: 40)
        defer { term.kill() }
        let path = term.directory.appendingPathComponent("stats.jsonl").path
        try term.start("LATTICETOP_STATS='\(path)' " + lattice.dashboardCommand)
        try await term.waitFor("Hosts (4)")
        func events() -> [[String: Any]] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !events().contains(where: { $0["event"] as? String == "complete" }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let seen = events()
        let complete = try #require(seen.first { $0["event"] as? String == "complete" }, "\(seen)")
        #expect(complete["hosts"] as? Int == 4 && complete["inventoried"] as? Int == 4)
        let ms = try #require(complete["ms"] as? Double)
        #expect(ms > 0 && ms < 30_000)
        let pictures = seen.filter { $0["event"] as? String == "picture" }
        #expect(!pictures.isEmpty)
        #expect(pictures.allSatisfy { ($0["ms"] as? Double ?? .infinity) <= ms })
        #expect(pictures.contains { $0["inventoried"] as? Int == 4 && $0["sync"] as? String == "complete" })
        // A key (sort by HOST): the frame after it says how long it took, from the key read and
        // on the wall clock.
        #expect(!events().contains { $0["event"] as? String == "key" }, "no key line before a key")
        let sent = Date().timeIntervalSince1970 * 1000
        try term.keys("H")
        let keyDeadline = ContinuousClock.now + .seconds(20)
        while !events().contains(where: { $0["event"] as? String == "key" }), ContinuousClock.now < keyDeadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let key = try #require(events().first { $0["event"] as? String == "key" }, "\(events())")
        let latency = try #require(key["latency_ms"] as? Double), frame = try #require(key["frame_ms"] as? Double)
        #expect(frame >= 0 && latency >= frame && latency < 20_000)
        #expect(key["rows"] as? Int == 4)
        let wall = try #require(key["wall_ms"] as? Double)
        #expect(wall >= sent && wall <= Date().timeIntervalSince1970 * 1000)
        try term.keys("q")
        let end = ContinuousClock.now + .seconds(20)
        while !events().contains(where: { $0["event"] as? String == "frames_total" }), ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(50))
        }
        let total = try #require(events().first { $0["event"] as? String == "frames_total" }, "\(events())")
        #expect((total["frames"] as? Int ?? 0) >= 1)
        #expect((total["max_ms"] as? Double ?? -1) >= (total["p50_ms"] as? Double ?? 0))
    }
}

/// `--scale` across processes: the lattice is the same however it is split.
@Suite struct ScalePlacementTests {
    @Test func everyItemOnceOnItsLatticeHostWhateverTheSplit() {
        let lattice = 7, total = 40
        for shares in [[7], [3, 4], [2, 2, 3], [1, 1, 1, 1, 1, 1, 1]] {
            var placed: [Int: Int] = [:]
            var first = 0
            for count in shares {
                let p = ScalePlacement(latticeHosts: lattice, first: first, count: count)
                for i in p.indexes(below: total) {
                    #expect(placed[i] == nil, "item \(i) placed twice")
                    let local = p.localHost(of: i)
                    #expect(local >= 0 && local < count)
                    placed[i] = first + local
                }
                first += count
            }
            #expect(placed.count == total)
            #expect(placed.allSatisfy { $0.value == $0.key % lattice })
        }
        #expect(ScalePlacement(latticeHosts: 5, first: 0, count: 0).indexes(below: 10).isEmpty)
        #expect(ScalePlacement(latticeHosts: 5, first: 3, count: 2).indexes(below: 3).isEmpty)
    }
}
