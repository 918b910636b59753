import Foundation
import LatticeState

/// What a screen's view is a function of, besides the UI state that picks it (pane, drill-down,
/// pause, unmasked values) and the time zone: each screen declares it (`ScreenSpec.reads`), and
/// the view cache keys the screen's view by exactly these.
struct ViewInputs: OptionSet, Sendable {
    let rawValue: Int
    /// The lattice state (its version).
    static let state = ViewInputs(rawValue: 1)
    /// The clock's second: ages, and cells highlighted for a few seconds after a change.
    static let clock = ViewInputs(rawValue: 2)
    /// The latest spy snapshot (its revision).
    static let spy = ViewInputs(rawValue: 4)
}

/// The UI loop's cache of the pane view it draws, an explicit value the loop owns. A view is a
/// function of (state, UI state, now); its key is what of those the screen reads: the screen,
/// its drill-down, pause, zone and unmasked values, plus the state version, the clock's second
/// and the spy revision where the screen declares it reads them (`ScreenSpec.reads`). The same
/// key is never built twice in a row, and the user's filter and sort are applied once per view
/// (not per frame).
///
/// The lattice panes with big lists (Hosts, Components, Providers, Links: `IncrementalScreen`)
/// are not rebuilt on a new key of the same screen: their `PaneRows` are brought up to date
/// from the state's change journal in the same frame (only what changed is rebuilt), so they
/// are never held back.
///
/// Other views have a declared rebuild rate: a view of `n` rows stands in for a newer key of
/// the same screen (only the version, second or spy revision moved) for `n / rowsPerSecond`
/// seconds, at most `maxHold`, so a key the user presses shows in the next frame instead of
/// waiting for a rebuild. While keys are being answered (`keysWaiting`), any view of the same
/// screen stands in for up to `maxHold`, so rebuilds happen in a frame without keys. Whatever
/// changes the screen itself (another pane, drill-down, pause, unmasked value, zone) is rebuilt
/// at once. The rule looks at the size of what was built, never at how long building it took.
struct ViewCache {
    struct Key: Hashable, Sendable {
        var screen: ScreenKind
        var pane: PaneID
        var drill: DrillTarget?
        var paused: Bool
        var timeZone: String
        var revealed: Set<RevealedSecret>
        /// The lattice state's version; nil when the screen does not read the state.
        var version: Int?
        /// The clock's second; nil when the screen shows no ages.
        var second: Int64?
        /// The spy snapshot's revision (0: none yet); nil when the screen does not read the spy.
        var spy: UInt64?
        /// The past moment shown (time travel); nil: live. Another moment is another screen.
        var travel: Date?
        /// The roster (`Dashboard.roster`); nil when the screen does not read the state.
        var roster: Int?

        init(pane: PaneID, drill: DrillTarget?, paused: Bool, revealed: Set<RevealedSecret> = [], version: Int, timeZone: String,
             now: Date, spy: UInt64?, roster: Int = 0) {
            screen = ScreenKind(pane: pane, drill: drill)
            let reads = ViewRegistry.screen(screen).reads
            self.pane = pane
            self.drill = drill
            self.paused = paused
            self.timeZone = timeZone
            // Unmasked values only change the Config pane.
            self.revealed = pane == .config ? revealed : []
            self.version = reads.contains(.state) ? version : nil
            self.roster = reads.contains(.state) ? roster : nil
            self.second = reads.contains(.clock) ? Int64(now.timeIntervalSince1970.rounded(.down)) : nil
            self.spy = reads.contains(.spy) ? (spy ?? 0) : nil
        }

        /// The key of what `dashboard` shows for `app` now.
        init(app: AppState, dashboard: Dashboard, spy: SpyData?, now: Date) {
            self.init(pane: app.pane, drill: app.drill, paused: app.paused.contains(app.pane), revealed: app.revealed,
                      version: dashboard.version, timeZone: dashboard.timeZone.identifier, now: now, spy: spy?.revision,
                      roster: dashboard.roster)
            travel = app.travel
        }

        /// The same screen showing the same things; only its data or the clock moved on.
        func isSameScreen(as other: Key) -> Bool {
            screen == other.screen && pane == other.pane && drill == other.drill && paused == other.paused
                && timeZone == other.timeZone && revealed == other.revealed && travel == other.travel
        }
    }

    struct Built {
        var key: Key
        var view: PaneView
        var builtAt: ContinuousClock.Instant
    }

    /// Rows a big view's rebuild rate allows per second of hold (see the type's comment).
    static let rowsPerSecond = 10_000.0
    /// The longest a built view stands in for a newer one.
    static let maxHold = Duration.seconds(1)
    /// The longest a built view stands in for one of a newer roster (hosts came or went, got
    /// their first inventory, a sync completed): the first full picture shows at once.
    static let rosterHold = Duration.milliseconds(100)

    /// How long a view of `rows` rows may stand in for a newer key of its screen (`rosterMoved`:
    /// the newer key's roster differs).
    static func hold(rows: Int, keysWaiting: Bool, rosterMoved: Bool = false) -> Duration {
        if keysWaiting { return maxHold }
        let hold = min(maxHold, .seconds(Double(rows) / rowsPerSecond))
        return rosterMoved ? min(hold, rosterHold) : hold
    }

    private(set) var built: Built?
    /// The key asked for last, when the view handed out was held for it (a frame is due when
    /// the hold ends: `refreshDue`).
    private(set) var behind: Key?
    /// Views built so far (tests count rebuilds with it).
    private(set) var builds = 0
    /// Incremental updates of an incremental screen's rows so far.
    private(set) var updates = 0
    /// The header's counts, for the state version they were counted for.
    private var counts: (version: Int, counts: HeaderCounts)?
    private var tally: HeaderTally?
    /// An incremental screen's rows, and the key they were last brought up to.
    private var rows: PaneRows?
    private var rowsKey: Key?
    /// The view last handed out, arranged (and what it was arranged from, for other screens).
    private var arrangedView: PaneView?
    private var arrangedFor: (builds: Int, key: Key?, filter: RowFilter?, sort: AppState.Sort?)?

    init() {}

    /// The view for `key`, arranged by `filter` and `sort`: for an incremental screen, its rows
    /// brought up to `model` at `now`; otherwise the one built last when it is for `key` or may
    /// stand in for it (the hold above, at `instant`), else `build`'s.
    mutating func view(for key: Key, model: Dashboard, now: Date, filter: RowFilter? = nil, sort: AppState.Sort? = nil,
                       at instant: ContinuousClock.Instant, keysWaiting: Bool = false, build: () -> PaneView) -> PaneView {
        if key.drill == nil, let screen = ViewRegistry.screen(key.screen) as? any IncrementalScreen.Type {
            built = nil
            behind = nil
            if var rows, let rowsKey, rowsKey.isSameScreen(as: key) {
                if rowsKey != key || !rows.arranged.arranges(filter: filter, sort: sort) {
                    // One copy of the rows while they are patched.
                    self.rows = nil
                    arrangedView = nil
                    rows.update(to: model, now: now, filter: filter, sort: sort)
                    updates += 1
                    self.rowsKey = key
                    arrangedView = rows.view
                }
                self.rows = rows
            } else {
                let rows = PaneRows(screen: screen, model: model, now: now, filter: filter, sort: sort)
                self.rows = rows
                rowsKey = key
                arrangedView = rows.view
                builds += 1
            }
            return arrangedView ?? rows!.view
        }
        rows = nil
        rowsKey = nil
        let base = view(for: key, at: instant, keysWaiting: keysWaiting, build: build)
        if let arrangedFor, arrangedFor.builds == builds, arrangedFor.key == built?.key, arrangedFor.filter == filter,
           arrangedFor.sort == sort, let arrangedView {
            return arrangedView
        }
        let view = base.arranged(filter: filter, sort: sort)
        arrangedView = view
        arrangedFor = (builds, built?.key, filter, sort)
        return view
    }

    /// The view for `key` before the user's filter and sort: the one built last when it is for
    /// `key` or may stand in for it (the hold above, at `now`), else `build`'s.
    mutating func view(for key: Key, at now: ContinuousClock.Instant, keysWaiting: Bool = false, build: () -> PaneView) -> PaneView {
        if let built {
            if built.key == key {
                behind = nil
                return built.view
            }
            if built.key.isSameScreen(as: key),
               now - built.builtAt < Self.hold(rows: built.view.rows.count, keysWaiting: keysWaiting, rosterMoved: built.key.roster != key.roster) {
                behind = key
                return built.view
            }
        }
        let view = build()
        built = Built(key: key, view: view, builtAt: now)
        behind = nil
        builds += 1
        return view
    }

    /// The state version the view handed out last is of (nil: none, or its screen does not read
    /// the state): an incremental pane's rows are brought up to the key they were asked for.
    var builtVersion: Int? { rows != nil ? rowsKey?.version : built?.key.version }

    /// Whether a view handed out for a newer key has been held as long as its size allows: the
    /// loop draws a frame then, which rebuilds it.
    func refreshDue(at now: ContinuousClock.Instant) -> Bool {
        guard let behind, let built else { return false }
        return now - built.builtAt >= Self.hold(rows: built.view.rows.count, keysWaiting: false, rosterMoved: behind.roster != built.key.roster)
    }

    /// Forgets the built view (a new lattice: nothing of the old one may stand in).
    mutating func reset() {
        self = ViewCache()
    }

    /// The header's counts of `dashboard`'s state, once per state version: the hosts' totals
    /// the reducer keeps, and the links the state's change journal names (`HeaderTally`).
    mutating func headerCounts(_ dashboard: Dashboard) -> HeaderCounts {
        if let counts, counts.version == dashboard.version { return counts.counts }
        if tally == nil {
            tally = HeaderTally(dashboard.state)
        } else {
            tally!.update(to: dashboard.state)
        }
        let fresh = tally!.counts
        counts = (dashboard.version, fresh)
        return fresh
    }
}
