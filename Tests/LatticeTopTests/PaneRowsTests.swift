import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import TestFixtures
import Testing
@testable import LatticeTop

/// The incremental panes: rows kept between state versions and patched from the change journal
/// equal the pane built from scratch after every step of random histories, with the clock
/// moving, the filter and the sort changing; a change rebuilds only the groups it touched. The
/// header's counts kept the same way equal a recount.
@Suite struct PaneRowsTests {
    static let screens: [(String, any IncrementalScreen.Type)] = [
        ("hosts", HostsScreen.self), ("components", ComponentsScreen.self), ("providers", ProvidersScreen.self), ("links", LinksScreen.self),
    ]
    /// With runs of filters that narrow one another (`a`, `ap`, `api`; `!w`, `!we`...).
    static let filters = ["", "a", "ap", "api", "!web", "!we", "!w", "NHOSTA", "NHOST", "ok", "host:name-*", "1", "✖", "state:●*", "(bad"]

    static func dashboard() -> Dashboard {
        var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        dashboard.timeZone = TimeZone(identifier: "UTC")!
        return dashboard
    }

    @Test(arguments: Array(1...12) as [UInt64]) func keptRowsEqualAFreshBuildAfterEveryStep(seed: UInt64) {
        for (name, screen) in Self.screens {
            var lattice = RandomLattice(seed: seed &* 7919 &+ UInt64(name.count))
            var dashboard = Self.dashboard()
            var now = RandomLattice.base
            var filter: RowFilter?, sort: AppState.Sort?
            var rows = PaneRows(screen: screen, model: dashboard, now: now, filter: filter, sort: sort)
            var partial = 0
            var tally = HeaderTally(dashboard.state)
            for step in 0..<250 {
                for _ in 0..<Int.random(in: 0...3, using: &lattice.generator) { dashboard.apply([lattice.next()]) }
                tally.update(to: dashboard.state)
                let miscounted = dashboard.state.hosts.values.filter {
                    $0.visibleComponentCount != $0.visibleComponents.count || $0.visibleProviderCount != $0.visibleProviders.count
                }.map(\.id)
                #expect(miscounted.isEmpty, "visible counts, \(name) seed \(seed) step \(step)")
                #expect(tally.counts == HeaderCounts(dashboard.state), "header counts, \(name) seed \(seed) step \(step)")
                now = max(now, RandomLattice.base + lattice.time + Double.random(in: 0...4, using: &lattice.generator))
                if Int.random(in: 0..<12, using: &lattice.generator) == 0 {
                    filter = RowFilter(Self.filters.randomElement(using: &lattice.generator)!)
                }
                if Int.random(in: 0..<12, using: &lattice.generator) == 0 {
                    sort = Bool.random(using: &lattice.generator) ? nil
                        : AppState.Sort(column: Int.random(in: 0..<screen.frame.columns.count, using: &lattice.generator),
                                        ascending: Bool.random(using: &lattice.generator))
                }
                rows.update(to: dashboard, now: now, filter: filter, sort: sort)
                let fresh = PaneRows(screen: screen, model: dashboard, now: now, filter: filter, sort: sort)
                let same = Self.sameButForUptimesOfOneStart(rows.view.rows, fresh.view.rows)
                #expect(same, "\(name) seed \(seed) step \(step) filter \(filter?.text ?? "-") sort \(String(describing: sort))")
                if !same { return }
                if rows.rebuiltGroups < screen.groups(in: RowContext(model: dashboard, clock: RowClock(now: now), links: LinkReportIndex(dashboard.state))).count {
                    partial += 1
                }
            }
            #expect(partial > 25, "\(name): steps that rebuilt only some groups: \(partial)")
        }
    }

    /// Rows equal but for the moments of their ages, each less than `HostRecord.sameStartTolerance`
    /// apart: a host's row is kept while new uptime reports imply the same start (within that),
    /// so it may show the start of an earlier report than a fresh build does.
    static func sameButForUptimesOfOneStart(_ kept: [PaneRow], _ fresh: [PaneRow]) -> Bool {
        guard kept.count == fresh.count else { return false }
        for (a, b) in zip(kept, fresh) where a != b {
            guard a.ages.count == b.ages.count,
                  zip(a.ages, b.ages).allSatisfy({ abs($0.timeIntervalSince($1)) < HostRecord.sameStartTolerance }) else { return false }
            var moved = a
            moved.ages = b.ages
            // The UPTIME column sorts by the start too.
            for (column, key) in b.sortKeys {
                if case .number(let x) = a.sortKeys[column], case .number(let y) = key,
                   abs(x - y) < HostRecord.sameStartTolerance { moved.sortKeys[column] = key }
            }
            if moved != b { return false }
        }
        return true
    }

    /// A sync streaming in thousands of hosts: the many rebuilt groups are arranged by one
    /// sort (not put in place one by one, each moving the rows after it), the same rows as a
    /// fresh build; a few changed hosts are still put in place one by one.
    @Test func manyDueGroupsAreArrangedAtOnce() throws {
        var dashboard = Self.dashboard()
        let now = RandomLattice.base
        let sort = AppState.Sort(column: 1, ascending: true)
        var rows = PaneRows(screen: HostsScreen.self, model: dashboard, now: now, filter: nil, sort: sort)
        func ping(_ i: Int) -> LatticeInput {
            .hostPinged(HostInfo(id: "NHOST\(String(format: "%05d", i))", friendlyName: "host-\((i * 7919) % 1000)", lattice: "default",
                                 uptimeSeconds: UInt64(i)), syncID: 1, at: now)
        }
        dashboard.apply((0..<700).map(ping))
        rows.update(to: dashboard, now: now, filter: nil, sort: sort)
        #expect(rows.rebuiltGroups == 700)
        let arrangedAll = rows.arrangedAll
        #expect(arrangedAll)
        #expect(rows.view.rows == PaneRows(screen: HostsScreen.self, model: dashboard, now: now, filter: nil, sort: sort).view.rows)
        dashboard.apply((700..<703).map(ping))
        rows.update(to: dashboard, now: now, filter: nil, sort: sort)
        #expect(rows.rebuiltGroups == 3)
        let oneByOne = !rows.arrangedAll
        #expect(oneByOne)
        #expect(rows.view.rows == PaneRows(screen: HostsScreen.self, model: dashboard, now: now, filter: nil, sort: sort).view.rows)
        #expect(PaneRows.arrangesAtOnce(moved: 5_000, of: 10_000) && !PaneRows.arrangesAtOnce(moved: 255, of: 1_000)
                && !PaneRows.arrangesAtOnce(moved: 300, of: 100_000))
    }

    /// A provider's health report and a heartbeat that repeats what is known, at 1,000 hosts:
    /// the Hosts rows read neither (a host's row reads its own fields and its counts), so none
    /// is rebuilt; the Providers rows of a report are, and a change of a host's own fields is.
    @Test func whatAHostsRowDoesNotReadRebuildsNoRow() throws {
        var dashboard = Self.dashboard()
        let start = RandomLattice.base
        func id(_ i: Int) -> String { "NHOST\(String(format: "%05d", i))" }
        func heartbeat(_ i: Int, at seconds: Double, labels: [String: String] = [:]) -> LatticeInput {
            let inventory = HostInventory(components: [ComponentDescription(id: "c\(i)", imageRef: "ghcr.io/c:1", maxInstances: 1)],
                                          providers: [ProviderDescription(id: "p\(i)", imageRef: "ghcr.io/p:1")], hostID: id(i),
                                          friendlyName: "host-\(i)", labels: labels, version: "1.9.2", uptimeHuman: "",
                                          uptimeSeconds: UInt64(seconds) + 100)
            return .event(LatticeEvent.make(.hostHeartbeat(inventory), source: id(i), time: start + seconds,
                                             id: "hb-\(i)-\(seconds)"), at: start + seconds + 0.3)
        }
        func health(_ i: Int, at seconds: Double) -> LatticeInput {
            .event(LatticeEvent.make(.healthCheckPassed(HealthCheckEvent(hostID: id(i), providerID: "p\(i)")), source: id(i),
                                     time: start + seconds, id: "health-\(i)-\(seconds)"), at: start + seconds)
        }
        dashboard.apply((0..<1_000).map { heartbeat($0, at: 0) })
        let now = start.addingTimeInterval(10)
        var hosts = PaneRows(screen: HostsScreen.self, model: dashboard, now: now, filter: nil, sort: nil)
        var providers = PaneRows(screen: ProvidersScreen.self, model: dashboard, now: now, filter: nil, sort: nil)
        dashboard.apply((0..<1_000).map { health($0, at: 5) })
        hosts.update(to: dashboard, now: now, filter: nil, sort: nil)
        providers.update(to: dashboard, now: now, filter: nil, sort: nil)
        #expect(hosts.rebuiltGroups == 0, "health reports")
        #expect(providers.rebuiltGroups == 1_000, "the providers' rows read their health history")
        dashboard.apply((0..<1_000).map { heartbeat($0, at: 30.4) })
        hosts.update(to: dashboard, now: now, filter: nil, sort: nil)
        providers.update(to: dashboard, now: now, filter: nil, sort: nil)
        #expect(hosts.rebuiltGroups == 0, "heartbeats repeating what is known")
        #expect(providers.rebuiltGroups == 0)
        dashboard.apply((0..<10).map { heartbeat($0, at: 60, labels: ["zone": "b"]) })
        hosts.update(to: dashboard, now: now, filter: nil, sort: nil)
        #expect(hosts.rebuiltGroups == 10, "new labels")
        #expect(Self.sameButForUptimesOfOneStart(hosts.view.rows,
                                                 PaneRows(screen: HostsScreen.self, model: dashboard, now: now, filter: nil, sort: nil).view.rows))
        let labels = try #require(hosts.view.rows.first { $0.id == id(3) }?.cells.last)
        #expect(labels.contains("zone"))
    }

    /// The hosts of the first sync are the initial load, not news: no row is highlighted for
    /// them (so 10,000 highlights do not end, and 10,000 rows are not rebuilt, in one frame
    /// 3 s later); a host that changes after it is.
    @Test func theFirstSyncHighlightsNothingAndLaterChangesAre() throws {
        var dashboard = Self.dashboard()
        let start = RandomLattice.base
        func inventory(_ i: Int, at: Date, count: UInt32 = 1, syncID: Int = 1) -> LatticeInput {
            .inventory(HostInventory(components: [ComponentDescription(id: "c\(i)", imageRef: "ghcr.io/c:1", maxInstances: count)],
                                     providers: [], hostID: "NHOST\(String(format: "%05d", i))", friendlyName: "host-\(i)", labels: [:],
                                     version: "1.9.2", uptimeHuman: "", uptimeSeconds: 100),
                       syncID: syncID, at: at)
        }
        func fresh(_ now: Date) -> [PaneRow] { PaneRows(screen: ComponentsScreen.self, model: dashboard, now: now, filter: nil, sort: nil).view.rows }
        // What came before any sync is news; the first sync then quiets it.
        dashboard.apply([inventory(0, at: start, syncID: 0)])
        var rows = PaneRows(screen: ComponentsScreen.self, model: dashboard, now: start, filter: nil, sort: nil)
        #expect(rows.view.rows.map(\.role) == [.changed])
        dashboard.apply([.syncStarted(id: 1, at: start)] + (0..<500).map { inventory($0, at: start.addingTimeInterval(0.1)) })
        rows.update(to: dashboard, now: start.addingTimeInterval(0.2), filter: nil, sort: nil)
        #expect(rows.view.rows.count == 500 && rows.view.rows.allSatisfy { $0.role != .changed })
        #expect(rows.view.rows == fresh(start.addingTimeInterval(0.2)))
        dashboard.apply([.syncFinished(id: 1, hostsAnswered: [], complete: true, at: start.addingTimeInterval(0.5))])
        rows.update(to: dashboard, now: start.addingTimeInterval(1), filter: nil, sort: nil)
        #expect(rows.rebuiltGroups == 0)
        rows.update(to: dashboard, now: start.addingTimeInterval(4), filter: nil, sort: nil)
        #expect(rows.rebuiltGroups == 0, "no highlight ends")
        dashboard.apply([inventory(7, at: start.addingTimeInterval(5), count: 3, syncID: 2)])
        rows.update(to: dashboard, now: start.addingTimeInterval(5), filter: nil, sort: nil)
        #expect(rows.view.rows.filter { $0.role == .changed }.map(\.id) == ["NHOST00007/c7"])
        #expect(rows.view.rows == fresh(start.addingTimeInterval(5)))
    }

    /// Every host's uptime ticking at once (the clock, nothing in the state): the shown text
    /// changes, and no row is rebuilt or moved, in every sort and filter; the rows equal a fresh build.
    @Test(arguments: [nil, AppState.Sort(column: 0, ascending: true), AppState.Sort(column: 5, ascending: false)] as [AppState.Sort?])
    func agesTickingRebuildNoRow(sort: AppState.Sort?) throws {
        var dashboard = Self.dashboard()
        let start = RandomLattice.base
        dashboard.apply((0..<1_000).map { i in
            .hostPinged(HostInfo(id: "NHOST\(String(format: "%05d", i))", friendlyName: "host-\((i * 7919) % 1000)", lattice: "default",
                                 uptimeSeconds: UInt64(i * 13 % 500)), syncID: 1, at: start)
        })
        for filter in [nil, RowFilter("host-1")] {
            var rows = PaneRows(screen: HostsScreen.self, model: dashboard, now: start, filter: filter, sort: sort)
            var shownBefore = rows.view.rows.map { $0.text(5, at: start) }
            for step in 1...4 {
                let now = start.addingTimeInterval(Double(step) + 0.5)
                let before = rows.view.rows
                rows.update(to: dashboard, now: now, filter: filter, sort: sort)
                let after = rows.view.rows
                // Uptimes tick each second (a host's row shows its state's colour, not a highlight
                // that would end after 3 s).
                #expect(rows.rebuiltGroups == 0, "step \(step)")
                #expect(!rows.arrangedAll, "sort \(String(describing: sort)) filter \(filter?.text ?? "-") step \(step)")
                #expect(after.map(\.id) == before.map(\.id), "the same rows in the same order")
                #expect(after.elementsEqual(before) { $0.identity == $1.identity }, "no row rebuilt")
                let shown = after.map { $0.text(5, at: now) }
                #expect(shown != shownBefore, "uptimes moved on")
                shownBefore = shown
                let host = try #require(dashboard.state.hosts[after[0].id])
                #expect(shown[0] == Format.age(Double(host.uptimeSeconds ?? 0) + Double(step) + 0.5), "step \(step)")
                #expect(after == PaneRows(screen: HostsScreen.self, model: dashboard, now: now, filter: filter, sort: sort).view.rows)
            }
        }
    }

    @Test func markedAgesAreWrittenInWhenShown() {
        let start = RandomLattice.base
        var clock = RowClock(now: start, marksAges: true)
        let text = "◌ stale \(clock.age(since: start.addingTimeInterval(-61))) (no heartbeat, \(clock.age(since: start)))"
        #expect(clock.ages.count == 2 && clock.validUntil == nil, "marks note no moment the text changes")
        let now = start.addingTimeInterval(5)
        #expect(LiveAge.resolve(text, ages: clock.ages, at: now) == "◌ stale 1m6s (no heartbeat, 5s)")
        #expect(LiveAge.resolve("plain ✔", ages: clock.ages, at: now) == "plain ✔")
        #expect(LiveAge.resolve(text, ages: [], at: now) == text, "no moments: nothing to write in")
        var row = PaneRow(id: "r", cells: ["a", text])
        row.ages = clock.ages
        #expect(row.text(1, at: now.addingTimeInterval(3600)) == "◌ stale 1h1m (no heartbeat, 1h)")
        #expect(row.text(1, at: nil) == text && row.text(0, at: now) == "a" && row.text(7, at: now) == "")
        var plain = RowClock(now: now)
        #expect(plain.age(since: start) == "5s" && plain.ages.isEmpty, "an unmarked clock writes the age")
    }

    /// The selection follows its row through a sort of many rows: found where it was when it
    /// did not move, by its reference when the same row value moved, by its ID when the row was
    /// built anew (another reference), and lost to the clamp only when the row is gone.
    @Test func theSelectionFollowsItsRowThroughASort() throws {
        var generator = SeededGenerator(seed: 7)
        let rows = (0..<5_000).map { PaneRow(id: "row-\($0)", cells: ["\(Int.random(in: 0..<100, using: &generator))"]) }
        var app = AppState()
        app.pane = .components
        var view = PaneView(title: "t", columns: [TableColumn("N", width: .min(3))], rows: rows)
        app.tables[.components] = TableState(selected: 4_321)
        app.reconcileSelection(view, visibleRows: 40)
        #expect(app.selectedIDs[.components] == "row-4321")
        let identity = rows[4_321].identity
        #expect(rows.firstIndex(identity: identity) == 4_321)
        #expect(rows.index(ofID: "row-4321", near: 4_321, identity: nil) == 4_321)

        view = view.arranged(filter: nil, sort: AppState.Sort(column: 0, ascending: false))
        let moved = try #require(view.rows.firstIndex { $0.id == "row-4321" })
        #expect(view.rows.firstIndex(identity: identity) == moved, "the same row value, moved")
        app.reconcileSelection(view, visibleRows: 40)
        #expect(app.tables[.components]?.selected == moved)

        // Built anew: the same ID, another reference.
        view.rows = view.rows.map { PaneRow(id: $0.id, cells: $0.cells) }
        #expect(view.rows.firstIndex(identity: identity) == nil)
        view.rows.swapAt(moved, 0)
        app.reconcileSelection(view, visibleRows: 40)
        #expect(app.tables[.components]?.selected == 0)
        #expect(app.selectedIDs[.components] == "row-4321")

        view.rows.remove(at: 0)
        app.reconcileSelection(view, visibleRows: 40)
        #expect(app.selectedIDs[.components] != "row-4321", "gone: the selection moves to a row that is there")
    }

    @Test func aChangeToOneComponentRebuildsOnlyItsHost() throws {
        var dashboard = FrameBenchmarkTests.lattice(hosts: 20, perHost: 50)
        let now = FrameBenchmarkTests.base.addingTimeInterval(20)
        var rows = PaneRows(screen: ComponentsScreen.self, model: dashboard, now: now, filter: nil, sort: AppState.Sort(column: 3, ascending: false))
        let before = rows.view.rows
        let c = try #require(dashboard.state.allComponents.dropFirst(7).first)
        dashboard.apply([.event(LatticeEvent.make(.componentScaled(ComponentScaledEvent(hostID: c.hostID, imageRef: c.imageRef, maxInstances: 99,
                                                                                         componentID: c.id)),
                                                  source: c.hostID, time: now), at: now)])
        rows.update(to: dashboard, now: now, filter: nil, sort: AppState.Sort(column: 3, ascending: false))
        #expect(rows.rebuiltGroups == 1)
        let after = rows.view.rows
        #expect(after.count == before.count)
        let id = "\(c.hostID)/\(c.id)"
        #expect(after.first?.id == id, "the highest scale sorts first going down")
        #expect(after.first?.cells[3] == "● 99 max")
        #expect(after.filter { $0.id != id } == before.filter { $0.id != id }, "every other row is kept as it was, in its order")
    }

    @Test(arguments: Array(1...20) as [UInt64]) func sortingManyKeysAtOnceIsTheOrderOfComparingThem(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet: [UInt8] = [0, 1, 2, 0x30, 0x61, 0x62, 0xFF]
        let keys = (0..<Int.random(in: 0...400, using: &generator)).map { _ in
            OrderKey((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let order = OrderKey.sortedOrder(keys)
        #expect(order.sorted() == Array(keys.indices))
        #expect(zip(order, order.dropFirst()).allSatisfy { !(keys[$0.1] < keys[$0.0]) }, "seed \(seed)")
    }

    @Test(arguments: Array(1...20) as [UInt64]) func sortingInTwoHalvesAtOnceIsSortingAtOnce(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        // Keys with many ties and common prefixes longer than the 24 bytes read as numbers.
        let alphabet: [UInt8] = [0, 1, 0x30, 0x61, 0xFF]
        let prefix = [UInt8](repeating: 0x61, count: Int.random(in: 0...30, using: &generator))
        let keys = (0..<Int.random(in: 0...3_000, using: &generator)).map { _ in
            prefix + (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
        }
        func write(_ i: Int, _ sink: inout ByteSink) {
            keys[i].withUnsafeBufferPointer { sink.reserve($0.count); sink.put($0) }
        }
        let whole = OrderKey.sortedOrder(count: keys.count, halves: false, write: write)
        // Two threads taking chunks of indices as they go: of any size, each key once and in the
        // same order, equal keys in the order of their indices (as sorting them at once has them).
        for chunk in [1, 7, 100, 2_048] {
            let halves = OrderKey.sortedOrder(count: keys.count, halves: true, chunk: chunk, write: write)
            // (Compared first, so a failure does not print thousands of keys.)
            let everyIndexOnce = halves.sorted() == Array(keys.indices), sameIndices = halves == whole
            #expect(everyIndexOnce, "seed \(seed), chunk \(chunk): every index once")
            #expect(sameIndices, "seed \(seed), chunk \(chunk): the same indices in the same order")
            #expect(zip(halves, halves.dropFirst()).allSatisfy { !(OrderKey(keys[$0.1]) < OrderKey(keys[$0.0])) }, "seed \(seed)")
        }
    }

    @Test func rowsManyEnoughToSortInHalvesAreInTheOrderOfTheirKeys() {
        var generator = SeededGenerator(seed: 7)
        let words = ["api", "Web", "9", "10", "x-1", "", "running", "host-0042"]
        let count = ArrangedRows.rowsSortedInHalves + 1_001
        let rows = (0..<count).map { i in
            PaneRow(id: "r\(i)", cells: (0..<3).map { _ in words.randomElement(using: &generator)! + words.randomElement(using: &generator)! })
        }
        let all = rows.enumerated().map { (row: $1, base: OrderKey(position: $0)) }
        for sort in [AppState.Sort(column: 1, ascending: true), AppState.Sort(column: 2, ascending: false)] {
            let arranged = ArrangedRows(all, filter: nil, sort: sort, titles: ["A", "B", "C"])
            let expected = rows.map { (key: OrderKey($0.sortKey(sort.column), ascending: sort.ascending, id: $0.id), id: $0.id) }
                .sorted { $0.key < $1.key }.map(\.id)
            let inOrder = arranged.rows.map(\.id) == expected
            #expect(inOrder, "sort \(sort)")
        }
    }

    @Test(arguments: Array(1...20) as [UInt64]) func aRowsOrderKeyWrittenInPlaceIsTheKeyOfItsSortKey(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        // Short cells (held in the string) and long ones (read from the row's filter text),
        // capitals, digit runs with leading zeros, spaces, a 0 byte, letters beyond ASCII.
        let pieces = ["a", "B", "0", "07", "123", " ", "-", "\u{0}", "É", "ß", "İ", "host", "Component", "running", "ghcr.io/x/y:1.2.0"]
        func text() -> String { (0..<Int.random(in: 0...9, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
        for _ in 0..<200 {
            let cells = (0..<Int.random(in: 1...5, using: &generator)).map { _ in text() }
            var sortKeys: [Int: SortKey] = [:]
            if Bool.random(using: &generator) { sortKeys[Int.random(in: 0...5, using: &generator)] = .number(Double.random(in: -9...9, using: &generator)) }
            if Bool.random(using: &generator) { sortKeys[Int.random(in: 0...5, using: &generator)] = .text(text()) }
            var row = PaneRow(id: text() + "/" + text(), cells: cells, sortKeys: sortKeys)
            // Also once its cells and ID were changed (the row's text is made anew).
            for changed in [false, true] {
                if changed {
                    row.cells = (0..<Int.random(in: 0...5, using: &generator)).map { _ in text() }
                    row.id = text()
                }
                let joined = Array(row.cells.joined(separator: " ").utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
                #expect(row.searchText == joined, "seed \(seed), cells \(row.cells.map(\.debugDescription))")
                for column in 0...5 {
                    for ascending in [true, false] {
                        let expected = OrderKey(row.sortKey(column), ascending: ascending, id: row.id).bytes
                        // Through the row, and read in place from an array of rows (as a sort does).
                        for inPlace in [false, true] {
                            var sink = ByteSink(capacity: 1)
                            sink.reserve(3)
                            sink.put(9); sink.put(9); sink.put(9)  // keys follow one another in a sink
                            if inPlace {
                                [row, row].withUnsafeBufferPointer {
                                    PaneRow.prefetch($0, reading: 0, ahead: 2)
                                    PaneRow.appendOrderKey(of: $0, at: 1, column: column, ascending: ascending, to: &sink)
                                }
                            } else {
                                row.appendOrderKey(column: column, ascending: ascending, to: &sink)
                            }
                            let written = Array(sink.array.dropFirst(3))
                            #expect(written == expected,
                                    "seed \(seed), cells \(row.cells.map(\.debugDescription)), column \(column), ascending \(ascending), in place \(inPlace)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: Array(1...30) as [UInt64]) func patchingManyRowsAtOnceIsPatchingThemOneByOne(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let words = ["a", "b", "run", "stop", "9", "10", "x-1", "X-2", ""]
        func row(_ id: Int) -> (row: PaneRow, base: OrderKey) {
            let cells = (0..<3).map { _ in words.randomElement(using: &generator)! + words.randomElement(using: &generator)! }
            return (PaneRow(id: "r\(id)", cells: cells), OrderKey(position: id))
        }
        var all = (0..<Int.random(in: 0...300, using: &generator)).map(row)
        let filter: RowFilter? = [nil, RowFilter("a"), RowFilter("!run")].randomElement(using: &generator)!
        let sort: AppState.Sort? = [nil, AppState.Sort(column: 1, ascending: true), AppState.Sort(column: 2, ascending: false)]
            .randomElement(using: &generator)!
        var batched = ArrangedRows(all, filter: filter, sort: sort, titles: ["A", "B", "C"])
        var single = batched
        for _ in 0..<5 {
            // Some rows change (taken out as they were, put in anew), some go, some come.
            var removed: [(row: PaneRow, base: OrderKey)] = [], inserted: [(row: PaneRow, base: OrderKey)] = []
            for i in all.indices.shuffled(using: &generator).prefix(Int.random(in: 0...40, using: &generator)) {
                removed.append(all[i])
                if Bool.random(using: &generator) {
                    let id = Int(all[i].row.id.dropFirst())!
                    all[i] = row(id)
                    inserted.append(all[i])
                }
            }
            all.removeAll { r in removed.contains { $0.row.id == r.row.id } && !inserted.contains { $0.row.id == r.row.id } }
            for _ in 0..<Int.random(in: 0...20, using: &generator) {
                let fresh = row(1000 + all.count + Int.random(in: 0...1_000_000, using: &generator))
                guard !all.contains(where: { $0.row.id == fresh.row.id }) else { continue }
                all.append(fresh)
                inserted.append(fresh)
            }
            batched.patch(removing: removed, inserting: inserted)
            for (r, b) in removed { single.remove(r, base: b) }
            for (r, b) in inserted { single.insert(r, base: b) }
            #expect(batched.rows == single.rows, "seed \(seed)")
            #expect(batched.rows == ArrangedRows(all, filter: filter, sort: sort, titles: ["A", "B", "C"]).rows, "seed \(seed): as built anew")
        }
    }

    @Test func plainTextIsFoundWhereverItOccurs() {
        func occurs(_ p: String, _ t: String) -> Bool {
            Array(p.utf8).withUnsafeBytes { p in Array(t.utf8).withUnsafeBytes { RowFilter.occurs(p, in: $0) } }
        }
        for (pattern, text) in [("", ""), ("", "x"), ("a", "a"), ("ab", "xab"), ("ab", "abx"), ("aab", "aaab"), ("host-9", "a host-9"),
                                ("abc", "abc")] {
            #expect(occurs(pattern, text), "\(pattern) in \(text)")
        }
        for (pattern, text) in [("a", ""), ("ab", "a"), ("ab", "ba"), ("aab", "abab"), ("abc", "ab"), ("xy", "xxzy")] {
            #expect(!occurs(pattern, text), "\(pattern) not in \(text)")
        }
    }

    @Test func aFilterNarrowsOnlyWhatItCanOnlyNarrow() {
        #expect(RowFilter("ap").narrows(nil))
        #expect(RowFilter("ap").narrows(RowFilter("")))
        #expect(RowFilter("ap").narrows(RowFilter("a")))
        #expect(RowFilter("xApI").narrows(RowFilter("ap")), "case does not matter")
        #expect(RowFilter("host-9 ").narrows(RowFilter("t-9")))
        #expect(!RowFilter("a").narrows(RowFilter("ap")), "a shorter text widens")
        #expect(!RowFilter("ab").narrows(RowFilter("b a")))
        #expect(RowFilter("!a").narrows(RowFilter("!ap")), "an inverted text narrows as it gets shorter")
        #expect(!RowFilter("!ap").narrows(RowFilter("!a")))
        #expect(!RowFilter("!ap").narrows(RowFilter("a")) && !RowFilter("ap").narrows(RowFilter("!a")))
        #expect(!RowFilter("a.*p").narrows(RowFilter("a")), "an expression is not plain text")
        #expect(!RowFilter("host:a*").narrows(RowFilter("host:a")), "a column glob is not plain text")
        #expect(!RowFilter("ap").narrows(RowFilter("host:a")))
    }

    /// Typing a filter key by key, the sort changing in between, with the lattice changing:
    /// every step equals a fresh build (each narrowing step re-arranges only the rows shown).
    @Test func typingAFilterOnEqualsAFreshBuild() {
        for (name, screen) in Self.screens {
            var lattice = RandomLattice(seed: 99 &+ UInt64(name.count))
            var dashboard = Self.dashboard()
            for _ in 0..<300 { dashboard.apply([lattice.next()]) }
            var now = RandomLattice.base + lattice.time
            var sort: AppState.Sort?
            var rows = PaneRows(screen: screen, model: dashboard, now: now, filter: nil, sort: nil)
            for (step, text) in ["n", "na", "nam", "name", "name-", "nam", "!", "!n", "!", "a", "ap", "api", "x"].enumerated() {
                if step % 3 == 1 {
                    sort = AppState.Sort(column: step % screen.frame.columns.count, ascending: step % 2 == 0)
                }
                if step % 2 == 0 {
                    dashboard.apply([lattice.next()])
                    now = max(now, RandomLattice.base + lattice.time)
                }
                rows.update(to: dashboard, now: now, filter: RowFilter(text), sort: sort)
                let fresh = PaneRows(screen: screen, model: dashboard, now: now, filter: RowFilter(text), sort: sort)
                #expect(rows.view.rows == fresh.view.rows, "\(name) step \(step) filter \(text) sort \(String(describing: sort))")
            }
        }
    }

    @Test func sortKeysOrderNumbersThenTextWithoutCaseDigitsAsNumbers() {
        let sorted: [SortKey] = [.text("b"), .text("a10"), .number(3), .text(""), .text("A9"), .number(-1), .text("a09x"), .number(nil as Int?)]
            .sorted()
        #expect(sorted == [.number(-1), .number(3), .text(""), .text(""), .text("A9"), .text("a09x"), .text("a10"), .text("b")])
        #expect(SortKey.text("Abc") == SortKey.text("aBC"))
        #expect(SortKey.text("x7") == SortKey.text("x007"))
        #expect(SortKey.number(2.5) < SortKey.number(10))
        #expect(SortKey.text("é") < SortKey.text("ê"))
    }

    /// Text's collation, byte by byte as its rule says, equals what the sort writes in runs.
    @Test(arguments: Array(1...8) as [UInt64]) func textCollatesByTheRule(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("aZ09 -_/\u{0}é●Ü7x.")
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            var expected: [UInt8] = [2]
            let utf8 = Array(text.utf8.contains { $0 >= 0x80 } ? text.lowercased().utf8 : text.utf8)
            var i = 0
            while i < utf8.count {
                if (0x30...0x39).contains(utf8[i]) {
                    var end = i
                    while end < utf8.count && (0x30...0x39).contains(utf8[end]) { end += 1 }
                    let digits = utf8[i..<end].drop { $0 == 0x30 }
                    expected += [0x30, UInt8(min(digits.count, 254) + 1)] + digits
                    i = end
                } else {
                    expected.append((0x41...0x5A).contains(utf8[i]) ? utf8[i] + 0x20 : utf8[i] == 0 ? 1 : utf8[i])
                    i += 1
                }
            }
            #expect(SortKey.text(text).collationBytes == expected, "\(text.debugDescription)")
        }
    }

    @Test func goingDownTiesStayInIDOrderAndLongerTextComesFirst() {
        let view = PaneView(title: "t", columns: [TableColumn("A")],
                            rows: [PaneRow(id: "r2", cells: ["ab"]), PaneRow(id: "r1", cells: ["ab"]), PaneRow(id: "r3", cells: ["abc"]),
                                   PaneRow(id: "r0", cells: ["a"])])
        #expect(view.arranged(filter: nil, sort: AppState.Sort(column: 0, ascending: false)).rows.map(\.id) == ["r3", "r1", "r2", "r0"])
        #expect(view.arranged(filter: nil, sort: AppState.Sort(column: 0, ascending: true)).rows.map(\.id) == ["r0", "r1", "r2", "r3"])
        #expect(view.arranged(filter: RowFilter("AB"), sort: nil).rows.map(\.id) == ["r2", "r1", "r3"], "a plain filter keeps the view's order")
    }

    @Test func aPlainFilterMatchesAsTheExpressionWould() {
        let rows = [["api-server", "NHOST1"], ["Web", "x"], ["a.b", "c d"], ["", ""], ["über", "API"]]
        for text in ["api", "API", "web", "b c", "d", "!api", "x", "r n", "ü", "a.b", "a-s"] {
            let filter = RowFilter(text)
            let regex = try? NSRegularExpression(pattern: filter.pattern, options: [.caseInsensitive])
            for cells in rows {
                let line = cells.joined(separator: " ")
                let found = regex?.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
                #expect(filter.matches(cells) == (found != filter.inverted), "\(text) on \(cells)")
                var row = PaneRow(id: "r", cells: ["-"])
                row.cells = cells
                #expect(filter.matches(row, columns: []) == (found != filter.inverted), "\(text) on the row's text \(row.searchText)")
            }
        }
    }

    @Test(arguments: Array(1...10) as [UInt64]) func rowsKeptInPlaceAreTheRowsEachMatches(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let words = ["api", "Web", "a.b", "c d", "", "über", "NHOST1", "x-1"]
        let rows = (0..<300).map { i in
            var row = PaneRow(id: "r\(i)", cells: (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                words.randomElement(using: &generator)! + words.randomElement(using: &generator)!
            })
            row.keptByFilters = Int.random(in: 0..<20, using: &generator) == 0
            return row
        }
        for text in ["api", "!API", "web", "b c", "d", "!a", "x-1", "", "ü", "a.b", "NAME:api*", "we.", "1$"] {
            let filter = RowFilter(text)
            let kept = rows.withUnsafeBufferPointer { filter.keeps($0, columns: ["NAME", "B", "C"]) }
            #expect(kept == rows.map { $0.keptByFilters || filter.matches($0, columns: ["NAME", "B", "C"]) }, "seed \(seed), filter \(text)")
        }
    }
}
