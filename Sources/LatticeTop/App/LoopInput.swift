import Foundation
import LatticeMonitor
import LatticeState
import TerminalUI

/// What the UI loop takes besides keys and the monitor's lattice inputs: the effect runner's
/// answers, through one bounded queue (`DashboardLoop.inputs`), in the order they were given.
enum LoopInput: Sendable {
    /// A message for the flash line.
    case notice(DashboardLoop.Notice)
    /// The outcomes of the mutation `AppEffect.mutate` named `id`.
    case outcomes(id: Int, [MutationOutcome])
    /// A theme loaded by the runner (`switchTheme`), with why the default stands in.
    case themeLoaded(Theme, ThemeError?)
    /// Theme and wash-context names for `tab` on the command line (`refreshCompletions`).
    case completions([String: [String]])
    /// Read-only changed (a context with its own setting).
    case readOnly(Bool)
    /// The connection's round-trip time, measured off the loop (a PING can block while disconnected).
    case rtt(Double?)
    /// The latest spy snapshot (`SpyFeed`); nil: no spy runs.
    case spy(SpyData?)
    /// `$EDITOR` returned (`editConfigInEditor`): the session it ran and what it saved.
    case editorReturned(ConfigEditorSession, Result<String, ExternalEditor.Failure>)
    /// Watch another lattice or context: its monitor, and a fresh model.
    case watch(LatticeMonitor, Dashboard)
}
