/// What a key (or a `:command`) asks the app to do. Key handlers only produce these; the app
/// state's `perform` carries them out.
public enum AppCommand: Hashable, Sendable {
    case showPane(PaneID)
    case nextPane
    case previousPane
    case openCommandLine
    case openFilter
    case toggleHelp
    case moveUp
    case moveDown
    case pageUp
    case pageDown
    case first
    case last
    case drillDown
    case back
    /// Sort by the column whose title starts with this letter (shift-letter); again reverses.
    case sort(Character)
    case showRawJSON
    case togglePause
    case quit
    case spy(componentID: String?)
    /// The spy's per-operation table (count, errors, p50/p99).
    case spyOperations
    /// Save the spy buffer to an NDJSON file.
    case saveSpy
    /// Show (or mask again) the selected config value, or every value of the selected config.
    case revealSecret
    case switchLattice(String)
    case switchContext(String)
    case switchTheme(String)
    /// A key that changes the lattice (opens a form or a confirm).
    case operate(OperateRequest)
    /// Time travel: `[` `]` `{` `}`, `:at`, `:live` (and esc while in the past).
    case travel(TravelRequest)
}
