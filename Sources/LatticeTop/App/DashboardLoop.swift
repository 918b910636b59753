import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeSpy
import Synchronization
import LatticeState
import TerminalUI

/// The app loop, on its own thread (curses input blocks): take the monitor's batches, fold them
/// into the lattice state, handle keys, tick once a second, and draw at most ~30 frames a second
/// and only when something changed.
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
    }

    /// The monitor whose batches feed the model; replaced when the lattice or context changes.
    private let source: Mutex<(monitor: LatticeMonitor, reset: Dashboard?)>
    /// Messages for the flash line from other threads.
    let notices = BatchQueue<Notice>()

    struct Notice: Sendable {
        var message: String
        var isError: Bool
        /// How long it shows (nil: the flash line's default).
        var seconds: TimeInterval?
    }
    private var options: Options
    private var dashboard: Dashboard
    private var app: AppState
    /// Effects the async side must carry out (spy, lattice switch …), polled by `DashboardApp`.
    let effects = BatchQueue<AppEffect>()
    /// Outcomes of mutations, from the async side.
    let outcomes = BatchQueue<MutationResult>()

    struct MutationResult: Sendable {
        var id: Int
        var outcomes: [MutationOutcome]
    }

    /// Theme and wash-context names for completion, refreshed off this thread (`refreshCompletions`).
    let completionCache = Mutex<[String: [String]]>([:])
    /// A theme loaded off this thread (`switchTheme`), with why the default stands in.
    let themeLoaded = Mutex<(Theme, ThemeError?)?>(nil)

    /// Read-only changes (a context with its own setting), from the async side.
    let readOnlyChange = Mutex<Bool?>(nil)

    /// The round-trip time, measured off this thread (a PING can block while disconnected).
    let rtt = Mutex<Double?>(nil)
    /// The running spy capture and a description of its scope, set by the async side.
    let spy = Mutex<(capture: SpyCapture, scope: String)?>(nil)
    private var spyRequested = false
    /// The spy's counters when the Spy pane was last marked for a frame.
    private var lastSpyCounters: SpyCounters?
    /// Inputs the bounded hand-over from the monitor has dropped so far.
    private var handOverDropped = 0
    /// Panes shown so far (their `onShow` effects ran).
    private var shown: Set<PaneID> = []
    /// Which providers' health to probe when (nil: probing is off).
    private var probeSchedule: HealthProbeSchedule?
    /// The end of the history replay was announced on the flash line.
    private var historyAnnounced = false

    init(monitor: LatticeMonitor, options: Options, dashboard: Dashboard) {
        self.source = Mutex((monitor: monitor, reset: nil))
        self.options = options
        self.dashboard = dashboard
        self.app = AppState(readOnly: options.readOnly, themeName: options.theme.name, contextName: options.contextName)
        if options.healthProbeInterval > 0 { probeSchedule = HealthProbeSchedule(interval: options.healthProbeInterval) }
    }

    /// A message for the flash line (any thread).
    func notify(_ message: String, error: Bool = false, seconds: TimeInterval? = nil) {
        notices.push(Notice(message: message, isError: error, seconds: seconds))
    }

    /// Switches to another monitor (another lattice or context) with a fresh model (any thread).
    func replace(monitor: LatticeMonitor, with dashboard: Dashboard) {
        source.withLock { $0 = (monitor: monitor, reset: dashboard) }
    }

    /// Runs until the user quits. Call on a dedicated thread.
    func run(backend: some TerminalBackend) {
        var coalescer = FrameCoalescer(maxFramesPerSecond: 30)
        let clock = ContinuousClock()
        let start = clock.now
        var lastTick = Date.distantPast
        var theme = options.theme.downgraded(to: backend.colorDepth)
        var size = backend.size
        while !app.shouldQuit {
            var dirty = false
            let (monitor, reset) = source.withLock { s -> (LatticeMonitor, Dashboard?) in
                defer { s.reset = nil }
                return (s.monitor, s.reset)
            }
            if let reset {
                dashboard = reset
                app.drills = [:]
                app.outerFilters = [:]
                app.selectedIDs = [:]
                // Undo history, kept editor text and revealed values belong to the lattice left behind.
                app.operateContext = OperateContext()
                app.revealed = []
                handOverDropped = 0
                historyAnnounced = false
                if let schedule = probeSchedule { probeSchedule = HealthProbeSchedule(interval: schedule.interval) }
                dirty = true
            }
            if let readOnly = readOnlyChange.withLock({ v -> Bool? in defer { v = nil }; return v }) {
                app.readOnly = readOnly || options.readOnly
                if app.readOnly, case .form = app.mode { app.mode = .normal }
                if app.readOnly, case .confirm = app.mode { app.mode = .normal }
                dirty = true
            }
            for result in outcomes.drain() {
                for effect in app.receive(result.outcomes, id: result.id, now: Date()) where !app.readOnly { effects.push(effect) }
                dirty = true
            }
            if let (loaded, error) = themeLoaded.withLock({ t in defer { t = nil }; return t }) {
                theme = loaded.downgraded(to: backend.colorDepth)
                app.themeName = loaded.name
                app.flash(error.map { "\($0)" } ?? "theme \(loaded.name)", error: error != nil, now: Date())
                dirty = true
            }
            for notice in notices.drain() {
                app.flash(notice.message, error: notice.isError, now: Date(), seconds: notice.seconds)
                dirty = true
            }
            var (inputs, dropped) = monitor.inputs.drainCountingDrops()
            if dropped > handOverDropped {
                // The hand-over was full (the loop was away): the model says so until the next sync.
                handOverDropped = dropped
                inputs.append(.dropped(subject: "UI hand-over", total: Int64(dropped), at: Date()))
            }
            if !inputs.isEmpty {
                dirty = dashboard.apply(inputs) || dirty
                announceHistory()
            }
            let now = Date()
            if now.timeIntervalSince(lastTick) >= 1 {
                lastTick = now
                dashboard.rttMilliseconds = rtt.withLock { $0 }
                dirty = dashboard.apply([.tick(now)]) || dirty
                probeDueProviders(now: now)
                if app.flash.map({ $0.until <= now }) == true { app.flash = nil; dirty = true }
            }
            let elapsed = clock.now - start
            let wait = coalescer.timeUntilNextFrame(now: elapsed).map { min($0, .milliseconds(50)) } ?? .milliseconds(50)
            if let event = backend.readEvent(timeout: dirty ? .zero : wait) {
                dirty = true
                if case .resize(let s) = event { size = s }
                var pending: [InputEvent] = [event]
                while pending.count < 64, let more = backend.readEvent(timeout: .zero) { pending.append(more) }
                for e in pending {
                    if case .resize(let s) = e { size = s; continue }
                    let view = currentView(now: now)
                    let visible = Screen.visibleRows(size: size, banner: dashboard.header(now: now).banner != nil)
                    if app.pane == .links, let capture = spy.withLock({ $0?.capture }) {
                        app.operateContext.spiedInstances = capture.snapshot(limit: 0).operations.map(\.instance)
                    }
                    for effect in app.handle(e, view: view, visibleRows: visible, now: now, completions: completions(),
                                                  lattice: dashboard.state) {
                        switch effect {
                        case .quit: app.shouldQuit = true
                        case .showRawJSON(let item):
                            app.showRaw(item, lines: dashboard.rawJSON(item))
                        case .pauseSpy(let paused):
                            if let capture = spy.withLock({ $0?.capture }) { if paused { capture.pause() } else { capture.resume() } }
                        case .spy:
                            spyRequested = true
                            effects.push(effect)
                        case .mutate:
                            // Belt and braces: read-only never sends, whatever produced the effect.
                            if !app.readOnly { effects.push(effect) }
                        case .editConfigInEditor(let session):
                            if !app.readOnly { editInEditor(session, backend: backend) }
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
            if app.pane == .spy {
                // The spy moves on its own: a frame when what it saw changed (the clock tick
                // above redraws its rates each second); frames stay capped by the coalescer.
                let counters = spy.withLock { $0?.capture.counters }
                if counters != lastSpyCounters {
                    lastSpyCounters = counters
                    dirty = true
                }
            }
            if coalescer.shouldRender(dirty: dirty, now: clock.now - start) {
                let now = Date()
                let header = dashboard.header(now: now)
                // One view per frame: reconciling the selection does not change it, and the Spy
                // pane's view is rebuilt on every call (2,000 rows), so a second build doubled the
                // frame time under a flood and kept keys waiting.
                let view = currentView(now: now)
                app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: size, banner: header.banner != nil))
                backend.present(Screen.render(app: app, header: header, view: view, size: size, theme: theme, now: now))
            }
        }
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
        guard probeSchedule != nil, dashboard.state.connection.isConnected else { return }
        let due = probeSchedule!.due(dashboard.state.probeTargets, now: now)
        if !due.isEmpty { effects.push(.probeHealth(due)) }
    }

    private func currentView(now: Date) -> PaneView {
        dashboard.freezeEvents(app.paused.contains(.events))
        let current = spy.withLock { $0 }
        return dashboard.view(for: app.pane, drill: app.drill, now: now, paused: app.paused.contains(app.pane),
                              spy: current?.capture, spyScope: current?.scope ?? "", revealed: app.revealed)
            .arranged(filter: app.filters[app.pane], sort: app.sorts[app.pane])
    }

    /// `E`: the config as YAML in `$EDITOR`, with the terminal handed over meanwhile.
    private func editInEditor(_ session: ConfigEditorSession, backend: some TerminalBackend) {
        let editor = ExternalEditor(environment: ProcessInfo.processInfo.environment)
        app.runConfigEditor(session, state: dashboard.state, now: { Date() }) { text in
            backend.suspend { editor.edit(text, name: session.name) }
        }
    }

    /// What `tab` completes: the directory lists from the cache the effect runner refreshes, the
    /// component IDs from the model.
    private func completions() -> [String: [String]] {
        var lists = completionCache.withLock { $0 }
        lists["spy"] = dashboard.componentIDs
        return lists
    }
}
