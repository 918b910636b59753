import Foundation
import TerminalUI

/// Which screen is shown: a pane's list or one of its drill-downs. Each screen type declares
/// its own (`extension ScreenKind { static let … }` in its file); keys are bound per screen, so
/// a screen answers the same keys whichever pane it was reached from.
public struct ScreenKind: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// The screen for `pane` with `drill` open.
    public init(pane: PaneID, drill: DrillTarget?) {
        self = drill?.screen ?? pane.spec.screen.kind
    }
}

/// A drill-down: which screen opens, about what.
public struct DrillTarget: Hashable, Sendable {
    public var screen: ScreenKind
    public var item: RowItem?

    public init(screen: ScreenKind, item: RowItem?) {
        self.screen = screen
        self.item = item
    }
}

/// What a screen's rows are built from: the model, the clock, the UI state that changes what is
/// shown (pause, unmasked values), and the latest spy snapshot the loop was handed.
struct ViewContext {
    var model: Dashboard
    var now: Date
    var paused: Bool
    var revealed: Set<RevealedSecret>
    var spy: SpyData?
}

/// One screen of the dashboard (a pane's list or a drill-down), declared in one file: what it
/// is, its rows (typed items, typed sort keys, where `enter` goes), and its own keys. The key
/// table, hint bar, help and read-only filtering are made from these declarations.
protocol ScreenSpec: SendableMetatype {
    static var kind: ScreenKind { get }
    /// This screen's own keys (the global ones — navigation, `?`, `:` … — apply everywhere).
    static var keys: [KeyBinding] { get }
    /// Rows open a drill-down (`enter` applies).
    static var drillsDown: Bool { get }
    /// `p` pauses it (the rows freeze while capture goes on).
    static var pausable: Bool { get }
    /// What its view is a function of, so the view cache keys it by exactly that.
    static var reads: ViewInputs { get }
    /// The view of `drill` (nil on a pane's list) as it should be shown now.
    static func build(_ drill: DrillTarget?, in context: ViewContext) -> PaneView
}

extension ScreenSpec {
    static var keys: [KeyBinding] { [] }
    static var drillsDown: Bool { false }
    static var pausable: Bool { false }
    static var reads: ViewInputs { [.state, .clock] }
}

/// A pane: its tab, its `:command` names, the screen of its list, and what showing or pausing
/// it asks of the app loop.
struct PaneSpec: Sendable {
    var id: PaneID
    var title: String
    /// The `:command` that opens the pane (k9s style), with short aliases.
    var commandNames: [String]
    var screen: any ScreenSpec.Type
    /// Effects when the pane is shown (the Spy pane starts its capture).
    var onShow: [AppEffect] = []
    /// Effects when it is paused or resumed.
    var onPause: @Sendable (Bool) -> [AppEffect] = { _ in [] }
}

/// A pane's identity (its number key is its place in `ViewRegistry.panes`). Each pane's file
/// declares its own (`extension PaneID { static let … }`).
public struct PaneID: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    public static var allCases: [PaneID] { ViewRegistry.panes.map(\.id) }
    var spec: PaneSpec { ViewRegistry.pane(self) }
    public var title: String { spec.title }
    public var commandNames: [String] { spec.commandNames }
    /// Its number key, from 1.
    public var number: Int { (ViewRegistry.panes.firstIndex { $0.id == self } ?? 0) + 1 }
    public var next: PaneID { let all = PaneID.allCases; return all[number % all.count] }
    public var previous: PaneID { let all = PaneID.allCases; return all[(number + all.count - 2) % all.count] }
}
