import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeSpy
import Synchronization
import LatticeState
import TerminalUI

/// The app loop, on its own thread (curses input blocks): take the monitor's batches and the
/// effect runner's answers (`inputs`), fold them into the lattice state and the UI state, handle
/// keys, tick once a second, and draw at most ~30 frames a second and only when something
/// changed. Everything else — the network, files, `$EDITOR`, the spy's capture — is the effect
/// runner's (`effects`), which answers through `inputs`.
final class DashboardLoop: @unchecked Sendable {
    struct Options {
        var theme: Theme
        var themeLoader: ThemeLoader
        var readOnly: Bool
        var contextName: String?
        var lattice: String
        var server: String
        /// Seconds between latticetop's own health probes of each provider (0: no probes).
        var healthProbeInterval: TimeInterval = 30
        /// Where to append the dashboard's own figures (`LATTICETOP_STATS`, `DashboardStats`); nil: off.
        var statsPath: String?
        /// Estimated bytes time travel may hold (`LatticeTimeline.byteBudget`).
        var timeTravelBytes = 128 << 20
    }

    struct Notice: Sendable {
        var message: String
        var isError: Bool
        /// How long it shows (nil: the flash line's default).
        var seconds: TimeInterval?
    }

    /// The most effect-runner answers held for the loop; more are dropped and counted (the spy
    /// feed sends one snapshot at a time, so nothing floods it).
    static let inputCapacity = 4096
    /// The effect runner's answers (notices, outcomes, spy snapshots, the editor's result …).
    let inputs = BatchQueue<LoopInput>(capacity: DashboardLoop.inputCapacity)
    /// Effects the effect runner carries out (`DashboardApp`).
    let effects = BatchQueue<AppEffect>()
    /// The revision of the last spy snapshot the loop took: the feed sends the next one only
    /// then (`SpyFeedPolicy`).
    let spyTaken = Atomic<UInt64>(0)

    // Everything below is the loop thread's own.
    /// The monitor whose batches feed the model; replaced when the lattice or context changes.
    private var monitor: LatticeMonitor
    private var options: Options
    private var dashboard: Dashboard
    private var app: AppState
    private var theme: Theme
    /// The pane view drawn last, keyed by what it is a function of.
    private var cache = ViewCache()
    /// Every input the model was given, for time travel (`[` `]` `:at`), and the past shown.
    private var timeMachine: TimeMachine
    /// The latest spy snapshot handed over (nil: no spy runs).
    private var spy: SpyData?
    /// What the spy feed was told the UI shows of it.
    private var spyInterest = SpyInterest()
    private var spyRequested = false
    /// Theme and wash-context names for completion, refreshed by the effect runner.
    private var completionLists: [String: [String]] = [:]
    private var rtt: Double?
    /// Inputs the bounded hand-over from the monitor has dropped so far.
    private var handOverDropped = 0
    /// Inputs the hand-over from the monitor has replaced by newer ones so far.
    private var handOverSuperseded = 0
    /// Inputs taken from the monitor's hand-over by the last `takeInputs` (for the stats file).
    private var lastTaken = 0
    /// Answers of the effect runner dropped so far (the loop was away too long).
    private var answersDropped = 0
    /// Panes shown so far (their `onShow` effects ran).
    private var shown: Set<PaneID> = []
    /// Which providers' health to probe when (nil: probing is off).
    private var probeSchedule: HealthProbeSchedule?
    private var lastTick = Date.distantPast
    /// `$EDITOR`'s result, taken from `inputs` while the editor runs.
    private var editorResult: (session: ConfigEditorSession, result: Result<String, ExternalEditor.Failure>)?
    /// Bumped when another lattice is watched (an editor's result for the one left is dropped).
    private var watchGeneration = 0
    /// The end of the history replay was announced on the flash line.
    private var historyAnnounced = false
    /// The stats file (`LATTICETOP_STATS`) while `run` runs; nil: off.
    private var statsFile: DashboardStatsFile?

    init(monitor: LatticeMonitor, options: Options, dashboard: Dashboard) {
        self.monitor = monitor
        self.options = options
        timeMachine = TimeMachine(budget: options.timeTravelBytes, configuration: dashboard.state.configuration)
        self.dashboard = dashboard
        self.theme = options.theme
        self.app = AppState(readOnly: options.readOnly, themeName: options.theme.name, contextName: options.contextName)
        if options.healthProbeInterval > 0 { probeSchedule = HealthProbeSchedule(interval: options.healthProbeInterval) }
    }

    /// A message for the flash line (any thread).
    func notify(_ message: String, error: Bool = false, seconds: TimeInterval? = nil) {
        inputs.push(.notice(Notice(message: message, isError: error, seconds: seconds)))
    }

    /// Switches to another monitor (another lattice or context) with a fresh model (any thread).
    func replace(monitor: LatticeMonitor, with dashboard: Dashboard) {
        inputs.push(.watch(monitor, dashboard))
    }

    /// Runs until the user quits. Call on a dedicated thread.
    func run(backend: some TerminalBackend) {
        var coalescer = FrameCoalescer(maxFramesPerSecond: 30)
        let clock = ContinuousClock()
        let start = clock.now
        theme = options.theme.downgraded(to: backend.colorDepth)
        var size = backend.size
        let stats = options.statsPath.flatMap(DashboardStatsFile.init(path:))
        statsFile = stats
        defer { stats?.finish(); statsFile = nil }
        while !app.shouldQuit {
            var dirty = takeInputs(colorDepth: backend.colorDepth)
            stats?.took(lastTaken)
            // A big view held for a newer state (`ViewCache`): its frame is due when the hold ends.
            if cache.refreshDue(at: clock.now) { dirty = true }
            let now = Date()
            let elapsed = clock.now - start
            let pace = Self.framePace(dashboard.state)
            let wait = coalescer.timeUntilNextFrame(now: elapsed, pace: pace).map { min($0, .milliseconds(50)) } ?? .milliseconds(50)
            var keysAnswered = false
            if let event = backend.readEvent(timeout: dirty ? .zero : wait) {
                dirty = true
                keysAnswered = true
                if case .resize = event {} else { stats?.keysRead(at: clock.now) }
                if case .resize(let s) = event { size = s }
                var pending: [InputEvent] = [event]
                while pending.count < 64, let more = backend.readEvent(timeout: .zero) { pending.append(more) }
                for e in pending {
                    if case .resize(let s) = e { size = s; continue }
                    let view = currentView(now: now, keysWaiting: true)
                    let visible = Screen.visibleRows(size: size, banner: header(now: now).banner != nil)
                    for effect in app.handle(e, view: view, visibleRows: visible, now: now, completions: completions(),
                                             lattice: dashboard.state) {
                        switch effect {
                        case .quit: app.shouldQuit = true
                        case .showRawJSON(let item):
                            app.showRaw(item, lines: timeMachine.shown(dashboard, app: app, now: now).dashboard.rawJSON(item))
                        case .travel(let request):
                            timeMachine.travel(request, app: &app, live: now, timeZone: dashboard.timeZone)
                        case .spy:
                            spyRequested = true
                            effects.push(effect)
                        case .mutate:
                            // Belt and braces: read-only (or the past shown) never sends, whatever
                            // produced the effect.
                            if !app.keysReadOnly { effects.push(effect) }
                        case .editConfigInEditor(let session):
                            if !app.keysReadOnly { edit(session, backend: backend) }
                        default:
                            effects.push(effect)
                        }
                    }
                }
            }
            size = backend.size
            if !shown.contains(app.pane) {
                shown.insert(app.pane)
                for effect in app.pane.spec.onShow where !(effect.isSpy && spyRequested) {
                    if effect.isSpy { spyRequested = true }
                    effects.push(effect)
                }
            }
            tellSpyFeed()
            // Keys are answered at once; new data of the first sync waits for its pace.
            if coalescer.shouldRender(dirty: dirty, now: clock.now - start, pace: keysAnswered ? nil : pace) {
                let beganMachine = stats != nil ? DashboardStatsFile.machineTimes() : nil
                let beganUsage = stats != nil ? DashboardStatsFile.threadUsage() : nil
                let began = clock.now
                let beganCPU = stats != nil ? DashboardStatsFile.threadCPUMs() : 0
                let now = Date()
                let header = header(now: now)
                // Right after keys, a view held for a newer state stands in (the rebuild waits
                // for a frame without keys); one view per frame: reconciling the selection does
                // not change it.
                let view = currentView(now: now, keysWaiting: keysAnswered)
                app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: size, banner: header.banner != nil))
                backend.present(Screen.render(app: app, header: header, view: view, size: size, theme: theme, now: now))
                if let stats {
                    let state = dashboard.state
                    stats.presented(began: began, beganCPU: beganCPU, beganMachine: beganMachine, beganUsage: beganUsage,
                                   version: dashboard.version, viewVersion: cache.builtVersion, rows: view.rows.count) { DashboardStats.Picture(state) }
                }
            }
        }
    }

    /// Takes what arrived since the last time: the effect runner's answers, the monitor's
    /// batch (with a `.dropped` input when the bounded hand-over dropped some, a `.superseded` one
    /// when it replaced waiting heartbeats by newer ones), and the tick
    /// once a second. True when anything shown may have changed.
    private func takeInputs(colorDepth: ColorDepth) -> Bool {
        var dirty = false
        let (answers, dropped) = inputs.drainCountingDrops()
        if dropped > answersDropped {
            answersDropped = dropped
            app.flash("⚠ \(dropped) answers of the effect runner were dropped (the UI fell behind)", error: true, now: Date())
            dirty = true
        }
        for answer in answers {
            if take(answer, colorDepth: colorDepth) { dirty = true }
        }
        var (lattice, handOver, superseded) = monitor.inputs.drainCounting()
        lastTaken = lattice.count
        // Stamped with the newest input taken, not wall time: the model's clock does not run
        // ahead of what it was given (see `tick`).
        let taken = lattice.last?.at ?? Date()
        if handOver > handOverDropped {
            // The hand-over was full (the loop was away): the model says so until the next sync.
            handOverDropped = handOver
            lattice.append(.dropped(subject: "UI hand-over", total: Int64(handOver), at: taken))
        }
        if superseded > handOverSuperseded {
            // Heartbeats and health repeats replaced by newer ones while they waited: counted.
            handOverSuperseded = superseded
            lattice.append(.superseded(total: Int64(superseded), at: taken))
        }
        let applyBegan = ContinuousClock.now
        let applyBeganCPU = statsFile != nil && !lattice.isEmpty ? DashboardStatsFile.threadCPUMs() : 0
        if let statsFile, !lattice.isEmpty {
            statsFile.took(lattice)
        }
        defer { if let statsFile, !lattice.isEmpty { statsFile.applied(since: applyBegan, cpu: applyBeganCPU) } }
        if !lattice.isEmpty, dashboard.apply(lattice) {
            timeMachine.record(lattice)
            if app.travel != nil, let note = timeMachine.offNote {
                // The past shown is no longer kept: back to live, saying why.
                app.travel = nil
                app.flash(note, error: true, now: Date())
            }
            announceHistory()
            dirty = true
        }
        let now = Date()
        if now.timeIntervalSince(lastTick) >= 1 {
            lastTick = now
            dashboard.rttMilliseconds = rtt
            if dashboard.apply([Self.tick(now: now, handOver: monitor.inputs)]) { dirty = true }
            timeMachine.tick(live: dashboard.state)
            probeDueProviders(now: now)
            if app.flash.map({ $0.until <= now }) == true { app.flash = nil; dirty = true }
        }
        return dirty
    }

    /// The loop's tick: the model's clock moves to the moment the loop has caught up to, never
    /// past it. Inputs still waiting in the hand-over arrived before `now`; a tick at `now` would
    /// judge the hosts whose heartbeats wait there silent, and show them STALE only because the
    /// loop lags. Everything that arrived before the oldest input waiting has been taken, so the
    /// tick carries that input's arrival, or `now` when nothing waits.
    static func tick(now: Date, handOver: BatchQueue<LatticeInput>) -> LatticeInput {
        .tick(handOver.oldest.map(\.at).map { min($0, now) } ?? now)
    }

    /// The longest pace of frames while the first sync streams in (`framePace`).
    static let syncFramePace = Duration.milliseconds(250)

    /// How far apart frames for new data come (nil: as often as the frame rate allows). While
    /// the first sync streams in — some host known has no inventory yet — a frame of a big
    /// lattice re-sorts every row and rebuilds the rows of every host that came since the last
    /// one (each host twice, after its ping and after its inventory, when frames come often),
    /// on the thread that folds the sync in: frames then come every `rows / 10,000` seconds (as
    /// `ViewCache.rowsPerSecond`), at most `syncFramePace` apart. The header says the sync is
    /// under way (`HeaderInfo.syncing`), and once every host known has its inventory the pace
    /// ends: the first full picture is drawn at once.
    static func framePace(_ state: LatticeState) -> Duration? {
        guard state.sync.isRunning, state.sync.firstFinishedAt == nil, state.inventoriedHostCount < state.hosts.count else { return nil }
        return min(syncFramePace, .seconds(Double(state.hosts.count) / ViewCache.rowsPerSecond))
    }

    /// Whether latticetop's own health probes may go out now: connected, and no sync running.
    /// During a sync the hosts answer its ping and a `host.get` each; probes of every provider
    /// seen so far (thousands a second at a big lattice) would queue in front of those answers.
    static func probesMayRun(_ state: LatticeState) -> Bool {
        state.connection.isConnected && !state.sync.isRunning
    }

    /// Folds one answer of the effect runner in; true when it may change what is shown.
    private func take(_ input: LoopInput, colorDepth: ColorDepth) -> Bool {
        switch input {
        case .notice(let notice):
            app.flash(notice.message, error: notice.isError, now: Date(), seconds: notice.seconds)
        case .outcomes(let id, let outcomes):
            for effect in app.receive(outcomes, id: id, now: Date()) where !app.readOnly { effects.push(effect) }
        case .themeLoaded(let loaded, let error):
            theme = loaded.downgraded(to: colorDepth)
            app.themeName = loaded.name
            app.flash(error.map { "\($0)" } ?? "theme \(loaded.name)", error: error != nil, now: Date())
        case .completions(let lists):
            completionLists = lists
            return false
        case .readOnly(let readOnly):
            app.readOnly = readOnly || options.readOnly
            if app.readOnly, case .form = app.mode { app.mode = .normal }
            if app.readOnly, case .confirm = app.mode { app.mode = .normal }
        case .rtt(let value):
            rtt = value
            return false
        case .spy(let data):
            spy = data
            if let data { spyTaken.store(data.revision, ordering: .releasing) }
            app.operateContext.spiedInstances = data?.snapshot.operations.map(\.instance) ?? []
            // A frame only when the screen shown is built from it.
            return ViewRegistry.screen(app.screen).reads.contains(.spy)
        case .editorReturned(let session, let result):
            editorResult = (session, result)
        case .watch(let next, let fresh):
            monitor = next
            dashboard = fresh
            cache.reset()
            // The past of the lattice left behind is not this one's.
            timeMachine = TimeMachine(budget: options.timeTravelBytes, configuration: fresh.state.configuration)
            app.travel = nil
            app.drills = [:]
            app.outerFilters = [:]
            app.selectedIDs = [:]
            // Undo history, kept editor text and revealed values belong to the lattice left behind.
            app.operateContext = OperateContext()
            app.revealed = []
            handOverDropped = 0
            handOverSuperseded = 0
            historyAnnounced = false
            // The effect runner stopped the spy of the lattice left behind: the panes are shown
            // anew, so the Spy pane in front (or the next visit) starts one on this lattice.
            shown = []
            spyRequested = false
            watchGeneration += 1
            if let schedule = probeSchedule { probeSchedule = HealthProbeSchedule(interval: schedule.interval) }
        }
        return true
    }

    /// `E`: the config as YAML in `$EDITOR`. The terminal is handed over; the effect runner runs
    /// the editor off this thread; meanwhile the loop draws nothing and reads no keys (they are
    /// the editor's) but keeps taking its inputs, so the model stays current and the hand-over
    /// bounded. The editor's result comes back as an input (`editorReturned`): an invalid file
    /// goes back to the editor with its problem, a valid one opens the confirm.
    private func edit(_ start: ConfigEditorSession, backend: some TerminalBackend) {
        let generation = watchGeneration
        backend.suspend {
            var session: ConfigEditorSession? = start
            while let current = session {
                editorResult = nil
                effects.push(.editConfigInEditor(current))
                while editorResult == nil {
                    _ = takeInputs(colorDepth: backend.colorDepth)
                    if editorResult == nil { Thread.sleep(forTimeInterval: 0.02) }
                }
                let (returned, result) = editorResult!
                editorResult = nil
                if generation != watchGeneration || app.readOnly {
                    app.flash("config \(returned.name) not changed: " + (app.readOnly ? "read-only now" : "another lattice is shown"),
                              error: true, now: Date())
                    return
                }
                session = app.editorReturned(returned, result, state: dashboard.state, now: Date())
            }
        }
    }

    /// Tells the spy feed when what the UI shows of the spy changed: snapshots at frame rate
    /// while a screen built from them is up, and the message whose detail is open.
    private func tellSpyFeed() {
        let screen = app.screen
        let interest = SpyInterest(live: ViewRegistry.screen(screen).reads.contains(.spy),
                                   message: screen == .spyMessage ? app.drill?.spySequence : nil)
        guard interest != spyInterest else { return }
        spyInterest = interest
        effects.push(.spyInterest(live: interest.live, message: interest.message))
    }

    /// Once the history is replayed (or could not be), says so on the flash line; the header
    /// showed its progress meanwhile.
    private func announceHistory() {
        guard !historyAnnounced, let progress = dashboard.state.history.progress, progress.isFinished else { return }
        historyAnnounced = true
        // "No history" is the Events pane's marker line; a replay (or its failure) is news, but
        // does not cover a warning already on the flash line.
        let failed: Bool
        switch progress {
        case .failed: failed = true
        case .loaded: failed = false
        case .unavailable, .loading: return
        }
        if app.flash != nil && !failed { return }
        app.flash(progress.summary { ClockText.format($0, timeZone: self.dashboard.timeZone) }, error: failed, now: Date(), seconds: 8)
    }

    /// Hands the providers whose health probe is due to the effect runner (not while the
    /// connection is down: a probe that cannot be sent says nothing about the provider).
    private func probeDueProviders(now: Date) {
        guard probeSchedule != nil, Self.probesMayRun(dashboard.state) else { return }
        let state = dashboard.state
        let due = probeSchedule!.due(state.probeTargetSet, revision: state.probeTargetIndex.revision, now: now)
        if !due.isEmpty { effects.push(.probeHealth(due)) }
    }

    private func header(now: Date) -> HeaderInfo {
        let live = dashboard.header(now: now, counts: cache.headerCounts(dashboard))
        guard app.travel != nil else { return live }
        let (past, moment) = timeMachine.shown(dashboard, app: app, now: now)
        return TimeMachine.header(live: live, past: past.header(now: moment), moment: moment, now: now, timeZone: dashboard.timeZone)
    }

    /// The view shown now, from the cache (`ViewCache`: keyed by what the screen reads), with
    /// the user's filter and sort.
    private func currentView(now: Date, keysWaiting: Bool) -> PaneView {
        dashboard.freezeEvents(app.paused.contains(.events))
        // In the past (time travel), every pane shows the lattice as it was then, aged by then.
        let (shown, at) = timeMachine.shown(dashboard, app: app, now: now)
        let key = ViewCache.Key(app: app, dashboard: shown, spy: spy, now: at)
        let (app, spy) = (self.app, self.spy)
        return cache.view(for: key, model: shown, now: at, filter: app.filters[app.pane], sort: app.sorts[app.pane], at: .now,
                          keysWaiting: keysWaiting) {
            shown.view(for: app.pane, drill: app.drill, now: at, paused: key.paused, spy: spy, revealed: app.revealed)
        }
    }

    /// What `tab` completes: the directory lists the effect runner refreshed, the component IDs
    /// from the model.
    private func completions() -> [String: [String]] {
        var lists = completionLists
        lists["spy"] = dashboard.componentIDs
        return lists
    }
}
