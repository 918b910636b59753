import Foundation
import LatticeState

/// The UI loop's time travel: every input the model was given (`LatticeTimeline`), the past
/// moment the user travelled to (`AppState.travel`), and that moment's lattice rebuilt as a
/// `Dashboard`, so every pane shows the lattice as it was then. A value, owned by the loop.
struct TimeMachine {
    private(set) var timeline: LatticeTimeline
    /// The past shown, rebuilt when the moment changes.
    private var past: (moment: Date, dashboard: Dashboard)?

    /// Inputs folded each second on the UI thread (a few milliseconds), so a jump rarely has
    /// much left to fold; a flood beyond it is folded by the first jump after it.
    static let foldPerTick = 2_000

    init(timeline: LatticeTimeline = LatticeTimeline()) {
        self.timeline = timeline
    }

    /// A timeline holding at most `budget` estimated bytes, folding with the model's configuration.
    init(budget: Int, configuration: LatticeStateConfiguration) {
        self.init(timeline: LatticeTimeline(configuration: configuration, byteBudget: budget))
    }

    /// Why there is no past to travel to on this lattice, or nil.
    var offNote: String? {
        guard let off = timeline.suspension else { return nil }
        let mib = { (bytes: Int) in (bytes + (1 << 19)) >> 20 }
        return "time travel is off: this lattice's model (~\(mib(off.stateBytes)) MiB a copy) is too large for "
            + "\(mib(off.byteBudget)) MiB (--time-travel-memory)"
    }

    /// Keeps what the live model was given.
    mutating func record(_ inputs: [LatticeInput]) {
        timeline.record(contentsOf: inputs)
    }

    /// Folds a little of what is recorded (once a second), but not while `live` is syncing: a
    /// sync streams in a ping reply and an inventory of every host (10,000 hosts: tens of
    /// thousands of inputs within a second or two), and folding them a second time for the past,
    /// on the UI thread, would hold back the live picture they make. What is recorded meanwhile
    /// is folded after the sync, or by a jump.
    mutating func tick(live: LatticeState) {
        guard !live.sync.isRunning else { return }
        timeline.catchUp(maxInputs: Self.foldPerTick)
    }

    /// Carries out `request`: `app.travel` becomes the moment it leads to (nil: live), with a
    /// note on the flash line where there is one. Forms and confirms do not survive a trip.
    mutating func travel(_ request: TravelRequest, app: inout AppState, live: Date, timeZone: TimeZone) {
        if let offNote {
            app.travel = nil
            app.flash(offNote, error: true, now: live)
            return
        }
        let timeline = self.timeline
        let outcome = TimeTravel.resolve(request, current: app.travel, live: live, first: timeline.first, timeZone: timeZone,
                                         before: { timeline.moment(before: $0) }, after: { timeline.moment(after: $0) })
        app.travel = outcome.moment
        if let note = outcome.note { app.flash(note, error: outcome.isError, now: live) }
        if app.travel != nil {
            switch app.mode {
            case .form, .confirm: app.mode = .normal
            default: break
            }
        }
    }

    /// The dashboard to show and the clock its cells are aged by: the live one, or the past
    /// moment's (rebuilt once per moment).
    mutating func shown(_ live: Dashboard, app: AppState, now: Date) -> (dashboard: Dashboard, now: Date) {
        guard let moment = app.travel, timeline.suspension == nil else {
            past = nil
            return (live, now)
        }
        if past?.moment != moment {
            var dashboard = Dashboard(state: timeline.state(at: moment), lattice: live.lattice, server: live.server, context: live.context)
            dashboard.timeZone = live.timeZone
            past = (moment, dashboard)
        }
        return (past!.dashboard, moment)
    }

    /// The header while in the past: the live connection (what the user can act on), the past's
    /// counts, and `⏪ AT … — live: …` first.
    static func header(live: HeaderInfo, past: HeaderInfo, moment: Date, now: Date, timeZone: TimeZone) -> HeaderInfo {
        var header = live
        header.hosts = past.hosts
        header.components = past.components
        header.providers = past.providers
        header.links = past.links
        header.unhealthy = past.unhealthy
        header.messagesPerSecond = past.messagesPerSecond
        header.travel = TimeTravel.headerText(moment: moment, live: now, timeZone: timeZone)
        return header
    }
}
