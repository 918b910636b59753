import Foundation
import TerminalUI

/// The UI's own state (not the lattice's): which pane, selection, filters, sort, the command
/// line, drill-downs, overlays, the flash message. A value; `handle` turns input into changes and
/// effects without drawing anything.
public struct AppState: Sendable {
    public enum Mode: Sendable, Equatable {
        case normal
        case command(String)
        case filter(String)
        case help(offset: Int)
        /// A scrollable text view (raw JSON, details) over the pane.
        case text(title: String, lines: [String], offset: Int)
        /// A form that changes the lattice (start provider, scale, labels …).
        case form(OperateFormState)
        /// A confirm before a change (only `y` confirms).
        case confirm(ConfirmState)
    }

    public struct Sort: Sendable, Equatable {
        public var column: Int
        public var ascending: Bool
    }

    public struct Flash: Sendable, Equatable {
        public var message: String
        public var isError: Bool
        public var until: Date
    }

    public var pane: PaneID = .hosts
    public var mode: Mode = .normal
    public var tables: [PaneID: TableState] = [:]
    public var selectedIDs: [PaneID: String] = [:]
    /// The selected row's `PaneRow.identity` where it was last seen (a hint: a match is
    /// confirmed by its ID).
    var selectedRowIdentities: [PaneID: UInt] = [:]
    public var filters: [PaneID: RowFilter] = [:]
    public var sorts: [PaneID: Sort] = [:]
    /// Drill-down stack per pane; the last entry is shown.
    public var drills: [PaneID: [DrillTarget]] = [:]
    /// The filters of the levels under each drill-down, restored by `back`: a filter belongs to the
    /// list it was typed on, not to the detail opened from it.
    public var outerFilters: [PaneID: [RowFilter?]] = [:]
    public var paused: Set<PaneID> = []
    /// Config values shown unmasked (`x`).
    public var revealed: Set<RevealedSecret> = []
    public var flash: Flash?
    public var readOnly: Bool
    /// The past moment shown (time travel); nil: live. Mutating keys are off meanwhile.
    public var travel: Date?
    public var shouldQuit = false
    public var themeName: String
    public var contextName: String?
    /// The mutation whose outcome the open form waits for.
    public var pendingMutation: Int?
    /// What the operate planner needs beyond the lattice state (undo history, spied WIT
    /// instances, config text kept from an invalid edit).
    public var operateContext = OperateContext()
    /// Link changes sent and not settled yet, by mutation ID.
    var linkChangesInFlight: [Int: LinkChangeRequest] = [:]
    /// The forms whose mutation is in flight, by mutation ID: a failure brings the draft back
    /// even when the form was closed (esc) while it waited.
    var formsInFlight: [Int: OperateFormState] = [:]
    var nextMutationID = 0

    public init(readOnly: Bool = false, themeName: String = "default", contextName: String? = nil) {
        self.readOnly = readOnly
        self.themeName = themeName
        self.contextName = contextName
    }

    public var drill: DrillTarget? { drills[pane]?.last }

    /// The screen shown: the pane's list or its open drill-down.
    public var screen: ScreenKind { ScreenKind(pane: pane, drill: drill) }

    /// No key may change the lattice: read-only mode, or the past is shown.
    public var keysReadOnly: Bool { readOnly || travel != nil }

    /// The keys of the screen shown.
    public var bindings: [KeyBinding] { KeyTable.bindings(for: screen, readOnly: keysReadOnly) }

    /// The hint bar's items for the current pane.
    public var hints: [HintBar.Item] {
        switch mode {
        case .command: return ModalKeys.hints(ModalKeys.commandLine)
        case .filter: return ModalKeys.hints(ModalKeys.filter)
        case .help, .text: return ModalKeys.hints(ModalKeys.overlay)
        case .form: return ModalKeys.hints(ModalKeys.form)
        case .confirm(let c):
            let hasApp = !(c.wadm?.application ?? "").isEmpty
            return ModalKeys.hints(ModalKeys.confirm.filter { $0.command != .openApp || hasApp })
        case .normal:
            var items = [HintBar.Item(key: "1-\(PaneID.allCases.count)", label: "panes")]
            // In the past, how to move through it comes first (the operate keys are off).
            if travel != nil { items.append(HintBar.Item(key: "[ ]", label: "time travel")) }
            items += bindings.filter(\.hint).map { HintBar.Item(key: $0.keyLabel, label: $0.label) }
            return items
        }
    }

    /// `y`'s text view (or why there is none).
    mutating func showRaw(_ item: RowItem, lines: [String]?) {
        mode = .text(title: "Raw — \(item)", lines: lines ?? ["(no raw data for \(item))"], offset: 0)
    }

    mutating func flash(_ message: String, error: Bool = false, now: Date, seconds: TimeInterval? = nil) {
        flash = Flash(message: message, isError: error, until: now.addingTimeInterval(seconds ?? (error ? 8 : 4)))
    }
}

/// What the app loop must do beyond changing `AppState`.
public enum AppEffect: Sendable, Equatable {
    var isSpy: Bool { if case .spy = self { return true } else { return false } }

    case quit
    case switchTheme(String)
    case switchLattice(String)
    case switchContext(String)
    case spy(componentID: String?)
    /// Show the raw JSON of what the selected row is about (the loop looks it up in the model).
    case showRawJSON(RowItem)
    /// Pause or resume spy capture's view (capture goes on); run by the effect runner.
    case pauseSpy(Bool)
    case saveSpy
    /// Re-read what `tab` completes on the command line (theme and wash-context directories),
    /// off the UI thread; the loop completes from the cache this refreshes.
    case refreshCompletions
    /// Send these actions (the loop runs them off the UI thread and reports the outcomes under `id`).
    case mutate(id: Int, actions: [OperateAction])
    /// Probe these providers' health (the loop's schedule says they are due); the results come
    /// back as `.healthProbe` inputs.
    case probeHealth([String])
    /// Hand a config to `$EDITOR`: the UI loop hands the terminal over, the effect runner runs
    /// the editor off the UI thread, and its result comes back as an input (`editorReturned`).
    case editConfigInEditor(ConfigEditorSession)
    /// What the UI shows of the spy (its screens up; the message whose detail is open), so the
    /// spy feed sends snapshots at frame rate and with that message (`SpyInterest`).
    case spyInterest(live: Bool, message: UInt64?)
    /// Move through recorded time (the loop resolves it against its timeline, `TimeTravel`).
    case travel(TravelRequest)
}
