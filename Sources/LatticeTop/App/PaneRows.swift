import Foundation
import LatticeState
import TerminalUI

/// What a row of an incremental pane is made from: a host (the Hosts row, or the Components
/// and Providers rows of what runs on it) or a link.
enum RowGroup: Hashable, Sendable {
    case host(String)
    case link(LinkKey)
}

/// The rows of one group, with their places in the pane's own order, and until when their
/// clock-driven text (ages, the highlight of a recent change) stays as it is.
struct GroupRows {
    var rows: [(row: PaneRow, base: OrderKey)] = []
    var validUntil: Date?
    /// What they were made from, when the screen tells it (`IncrementalScreen.source`).
    var source: RowSource?
}

/// What a group's rows are made from, as far as they read it (`IncrementalScreen.source`):
/// while it stays the same, and the clock does not change their text, the rows stay as they
/// are, whatever else about the record changed.
enum RowSource: Equatable {
    /// A host's own fields and how many components and providers it shows (its Hosts row).
    case host(HostRecord.OwnFields, components: Int, providers: Int)
}

/// What the rows of a group are made from: the model, the clock (`RowClock`, which notes when
/// the text made from it changes) and, for the Links pane, the link reports.
struct RowContext {
    var model: Dashboard
    var clock: RowClock
    var links: LinkReportIndex?
}

/// A pane whose rows are kept between state versions (`PaneRows`): its rows come in groups,
/// each made from one record, so a change rebuilds only the groups the state's change journal
/// names.
protocol IncrementalScreen: ScreenSpec {
    /// Title, columns and empty message (no rows).
    static var frame: PaneView { get }
    /// Whether its rows read the link reports (`RowContext.links`).
    static var readsLinkReports: Bool { get }
    /// Whether its rows read what runs on a host (a provider's health, history, triage), not
    /// only the host's own fields and which components and providers it has
    /// (`ChangeSet.hostsThemselves`).
    static var readsWorkloads: Bool { get }
    /// Every group that has rows now.
    static func groups(in context: RowContext) -> [RowGroup]
    /// The rows of `group` now (none when its record is gone).
    static func rows(of group: RowGroup, in context: inout RowContext) -> [(row: PaneRow, base: OrderKey)]
    /// What the rows of `group` read of the model, when that is cheap to tell (nil: rebuild
    /// them whenever the group is marked changed). Must cover everything `rows(of:in:)` reads
    /// but the clock.
    static func source(of group: RowGroup, in context: RowContext) -> RowSource?
}

extension IncrementalScreen {
    static var readsLinkReports: Bool { false }
    static var readsWorkloads: Bool { true }
    static func source(of group: RowGroup, in context: RowContext) -> RowSource? { nil }

    /// The whole pane, built from scratch (what `PaneRows` keeps up to date).
    static func build(_ drill: DrillTarget?, in c: ViewContext) -> PaneView {
        PaneRows(screen: self, model: c.model, now: c.now, filter: nil, sort: nil).view
    }
}

/// The clock as rows read it: ages and recent-change highlights made through it note the
/// earliest moment their text would read differently (`validUntil`), so a row is kept until
/// then. With `marksAges` (the rows `PaneRows` keeps), an age is instead a mark in the text,
/// `LiveAge.mark(i)`, and its moment `ages[i]`: the row's text then reads the same as the clock
/// moves, and the age is written in when the row is drawn (`PaneRow.text(_:at:)`), so ages
/// ticking every second on 10,000 rows rebuild none of them.
struct RowClock {
    let now: Date
    private(set) var validUntil: Date?
    let marksAges: Bool
    /// The moments of the ages marked, by mark.
    private(set) var ages: [Date] = []

    /// Changes up to this moment are not highlighted (`SyncState.initialLoadEnd`): 10,000
    /// hosts coming in with the first sync are not news, and their highlights would all end,
    /// and their rows be rebuilt, in one frame.
    let quietUntil: Date?

    init(now: Date, marksAges: Bool = false, quietUntil: Date? = nil) {
        self.now = now
        self.marksAges = marksAges
        self.quietUntil = quietUntil
    }

    mutating func note(_ until: Date) {
        if validUntil.map({ until < $0 }) ?? true { validUntil = until }
    }

    /// `Format.age` of the time since `since` (or its mark, with `marksAges`).
    mutating func age(since: Date) -> String {
        if marksAges && ages.count < LiveAge.marks {
            ages.append(since)
            return LiveAge.mark(ages.count - 1)
        }
        return age(now.timeIntervalSince(since))
    }

    /// `Format.age` of `seconds` that grow with the clock.
    mutating func age(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        // The text changes each second below an hour, each minute below a day, then each hour.
        let next = s < 3600 ? s + 1 : s < 86_400 ? (s / 60 + 1) * 60 : (s / 3600 + 1) * 3600
        note(now.addingTimeInterval(Double(next) - max(0, seconds) - 0.001))
        return Format.age(seconds)
    }

    /// A change at `at` is highlighted for 3 seconds (`Dashboard.changed`).
    mutating func recent(_ at: Date) -> Bool {
        if let quietUntil, at <= quietUntil { return false }
        let recent = now.timeIntervalSince(at) < 3
        if recent { note(at.addingTimeInterval(3)) }
        return recent
    }
}

/// The rows of an incremental pane (`IncrementalScreen`), kept between state versions: on a new
/// version only the groups the state's change journal names since the last one are rebuilt
/// (and groups whose clock-driven text is due); rows that came out the same stay as they are,
/// rows whose text changed but not their place are changed where they are, the others are
/// taken out of and put into the shown order in one pass. The result equals a
/// build from scratch (`PaneRowsTests`). A new sort, or a filter narrowing the last, re-arranges
/// the rows shown; another filter re-arranges every row once.
struct PaneRows {
    let screen: any IncrementalScreen.Type
    private(set) var revision: UInt64
    private(set) var now: Date
    /// The initial load's end when the rows were made (`RowClock.quietUntil`).
    private var quietUntil: Date?
    private var groups: [RowGroup: GroupRows] = [:]
    private var expiries = ExpiryHeap()
    private var links: LinkReportIndex?
    private(set) var arranged: ArrangedRows
    /// Groups rebuilt by the last `update` or build (tests and benchmarks read it).
    private(set) var rebuiltGroups = 0
    /// Whether the last `update` arranged every row at once (tests read it).
    private(set) var arrangedAll = false

    init(screen: any IncrementalScreen.Type, model: Dashboard, now: Date, filter: RowFilter?, sort: AppState.Sort?) {
        self.screen = screen
        revision = model.state.changes.revision
        self.now = now
        quietUntil = model.state.sync.initialLoadEnd
        links = screen.readsLinkReports ? LinkReportIndex(model.state) : nil
        var context = RowContext(model: model, clock: Self.clock(at: now, of: model), links: links)
        var all: [(row: PaneRow, base: OrderKey)] = []
        for group in screen.groups(in: context) {
            context.clock = Self.clock(at: now, of: model)
            let source = screen.source(of: group, in: context)
            let rows = Self.rows(of: group, screen: screen, in: &context)
            guard !rows.isEmpty else { continue }
            groups[group] = GroupRows(rows: rows, validUntil: context.clock.validUntil, source: source)
            if let until = context.clock.validUntil { expiries.push(until, group) }
            all += rows
        }
        arranged = ArrangedRows(all, filter: filter, sort: sort, titles: screen.frame.columns.map(\.title))
        rebuiltGroups = groups.count
    }

    /// The clock a kept row is made through: ages as marks, the initial load not highlighted.
    private static func clock(at now: Date, of model: Dashboard) -> RowClock {
        RowClock(now: now, marksAges: true, quietUntil: model.state.sync.initialLoadEnd)
    }

    var view: PaneView {
        var view = screen.frame
        view.rows = arranged.rows
        view.agesAt = now
        return view
    }

    /// The rows of `group`, each with the moments of the ages its text marks (those of the
    /// whole group: its rows share one array).
    private static func rows(of group: RowGroup, screen: any IncrementalScreen.Type, in context: inout RowContext)
        -> [(row: PaneRow, base: OrderKey)] {
        var rows = screen.rows(of: group, in: &context)
        let ages = context.clock.ages
        if !ages.isEmpty {
            for i in rows.indices { rows[i].row.ages = ages }
        }
        return rows
    }

    /// Whether `moved` rows (taken out of or put into their places) of a pane showing `rows`
    /// are arranged by one sort of every row rather than put in place: each place is a binary
    /// search, so a few hundred of them (a sync streaming in thousands of hosts) cost more than
    /// the sort. Rows whose text changed but not their place (an age ticking) are not moved.
    static func arrangesAtOnce(moved: Int, of rows: Int) -> Bool {
        moved >= 256 && moved * 32 >= rows
    }

    /// Brought to `model` (a later version of the same lattice) at `now`, arranged by `filter`
    /// and `sort`.
    mutating func update(to model: Dashboard, now: Date, filter: RowFilter?, sort: AppState.Sort?) {
        // The first sync starting quiets the highlights of what came before it (a sync ending
        // changes none: what it brought was quiet before and stays quiet).
        // Only the hosts the screen reads are gathered (a link screen's reports gather their own).
        guard let hosts = model.state.changes.hosts(since: revision, includingWorkloads: screen.readsWorkloads && !screen.readsLinkReports),
              now >= self.now, (model.state.sync.initialLoadEnd == nil) == (quietUntil == nil) else {
            self = PaneRows(screen: screen, model: model, now: now, filter: filter, sort: sort)
            return
        }
        revision = model.state.changes.revision
        self.now = now
        quietUntil = model.state.sync.initialLoadEnd
        var due = Set<RowGroup>()
        if screen.readsLinkReports {
            if let changed = links?.update(to: model.state) {
                for key in changed { due.insert(.link(key)) }
            } else {
                self = PaneRows(screen: screen, model: model, now: now, filter: filter, sort: sort)
                return
            }
        } else {
            for id in hosts { due.insert(.host(id)) }
        }
        // Groups whose text the clock changed are rebuilt whatever their source.
        var clockDue = Set<RowGroup>()
        while let (until, group) = expiries.popDue(now) {
            if groups[group]?.validUntil == until { clockDue.insert(group) }
        }
        due.formUnion(clockDue)
        var context = RowContext(model: model, clock: Self.clock(at: now, of: model), links: links)
        // What changed: rows gone, rows come, and rows of the same ID and base whose text did.
        var removed: [(row: PaneRow, base: OrderKey)] = [], inserted: [(row: PaneRow, base: OrderKey)] = []
        var changed: [ArrangedRows.Change] = []
        var rebuilt = 0
        for group in due {
            context.clock = Self.clock(at: now, of: model)
            let source = screen.source(of: group, in: context)
            if let source, source == groups[group]?.source, !clockDue.contains(group) { continue }
            rebuilt += 1
            let new = Self.rows(of: group, screen: screen, in: &context)
            let old = groups[group]?.rows ?? []
            groups[group] = new.isEmpty ? nil : GroupRows(rows: new, validUntil: context.clock.validUntil, source: source)
            if let until = context.clock.validUntil { expiries.push(until, group) }
            if old.count == 1 && new.count == 1 && old[0].row.id == new[0].row.id && old[0].base == new[0].base {
                // One row per group (hosts, links): no index needed.
                if old[0].row != new[0].row { changed.append(.init(old: old[0].row, new: new[0].row, base: new[0].base)) }
                continue
            }
            var matched = Set<String>()
            let byID = Dictionary(new.map { ($0.row.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (row, base) in old {
                if let same = byID[row.id], same.base == base {
                    matched.insert(row.id)
                    if same.row != row { changed.append(.init(old: row, new: same.row, base: base)) }
                } else {
                    removed.append((row, base))
                }
            }
            for (row, base) in new where !matched.contains(row.id) { inserted.append((row, base)) }
        }
        rebuiltGroups = rebuilt
        // A new sort, or a filter that narrows the last, re-arranges the rows shown (then
        // patched like any change); another filter needs every row of the pane, and so do many
        // rows moving (`arrangesAtOnce`).
        var rearrange = Self.arrangesAtOnce(moved: removed.count + inserted.count, of: arranged.rows.count)
            || !arranged.arranges(filter: filter, sort: sort) && !arranged.rearrange(filter: filter, sort: sort)
        if !rearrange {
            // Rows that keep their place are changed where they are; the others move.
            arranged.replaceInPlace(changed, removing: &removed, inserting: &inserted)
            rearrange = Self.arrangesAtOnce(moved: removed.count + inserted.count, of: arranged.rows.count)
        }
        arrangedAll = rearrange
        if rearrange {
            arranged = ArrangedRows(groups.values.lazy.flatMap(\.rows), filter: filter, sort: sort, titles: arranged.titles)
        } else {
            // Every group's moving rows taken out, then put in, in one pass.
            arranged.patch(removing: removed, inserting: inserted)
        }
    }
}

/// Groups by the moment their rows' text is due (a binary min-heap; an entry whose group has
/// since been rebuilt with another moment is skipped when it comes up).
struct ExpiryHeap {
    private var items: [(until: Date, group: RowGroup)] = []

    var count: Int { items.count }

    mutating func push(_ until: Date, _ group: RowGroup) {
        items.append((until, group))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].until < items[parent].until else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    /// The earliest entry if it is due at `now`, taken out.
    mutating func popDue(_ now: Date) -> (Date, RowGroup)? {
        guard let first = items.first, first.until <= now else { return nil }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count && items[l].until < items[smallest].until { smallest = l }
            if r < items.count && items[r].until < items[smallest].until { smallest = r }
            guard smallest != i else { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return first
    }
}
