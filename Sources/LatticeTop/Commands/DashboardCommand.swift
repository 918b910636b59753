import ArgumentParser
import Foundation
import LatticeMonitor

/// `latticetop` (the default command): the dashboard on a lattice.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Watch and operate a lattice (the default command)."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var ui: DashboardOptions

    func run() async throws {
        let settings: ConnectionSettings
        do { settings = try connection.settings() } catch { throw CommandSupport.fail("\(error)") }
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw CommandSupport.fail("the dashboard needs a terminal; for scripts use `latticetop get …` or `latticetop events`")
        }
        do {
            var options = try ui.appOptions(settings)
            options.inputs = connection.inputs
            try await DashboardApp(options: options).run()
        } catch {
            throw CommandSupport.fail("\(error)")
        }
    }
}

/// Options of the terminal UI, shared by the dashboard and the demo.
struct DashboardOptions: ParsableArguments {
    @Option(help: "Theme name (Themes/ or $XDG_CONFIG_HOME/latticetop/themes/).") var theme: String = "default"
    @Flag(name: [.customLong("readonly"), .customLong("read-only")], help: "Hide and disable every key that changes the lattice.")
    var readOnly = false
    @Option(help: "Seconds between full resyncs.") var resyncInterval: Double = 60
    @Option(help: "Seconds between latticetop's own health probes of each provider (wasmbus.rpc.LATTICE.ID.health; 0 = off).")
    var healthProbeInterval: Double = 30
    @Option(help: ArgumentHelp("Memory time travel may hold, in MiB (estimated). A lattice whose model does not fit four copies in half of it has no time travel (at the default, above ~1,000 hosts of 5 components and 2 providers).",
                               valueName: "MiB"))
    var timeTravelMemory = 128

    func validate() throws {
        guard timeTravelMemory >= 0, timeTravelMemory <= 1 << 30 else {
            throw ValidationError("--time-travel-memory takes MiB (0 to \(1 << 30)), not \(timeTravelMemory)")
        }
    }
    @Option(help: ArgumentHelp("Replay this much of the lattice's recorded history at start (the flight recorder, else wadm's wasmbus_events): 1h, 30m, 24h; 0 = live only.",
                               valueName: "duration"))
    var history = "1h"
    @Option(help: ArgumentHelp("Write a debug log at this level (trace, debug, info, notice, warning, error, critical; default off, or $LATTICETOP_LOG_LEVEL).",
                               valueName: "level"))
    var logLevel: String?
    @Option(help: ArgumentHelp("The log file (default $XDG_STATE_HOME/latticetop/latticetop.log).", valueName: "path"))
    var logFile: String?

    /// The app's options; read-only comes from the flag, `LATTICETOP_READONLY` or latticetop's
    /// settings file (globally or for the context in use).
    func appOptions(_ settings: ConnectionSettings,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DashboardApp.Options {
        guard let window = RecorderStream.parseDuration(history) else {
            throw ValidationError("--history takes a duration like 1h, 30m or 24h (0 = off), not '\(history)'")
        }
        let appSettings = try LatticeTopSettings.load(environment: environment)
        var options = DashboardApp.Options(
            settings: settings, themeName: theme,
            readOnly: appSettings.isReadOnly(flag: readOnly, context: settings.contextName, environment: environment),
            monitor: MonitorConfiguration(resyncInterval: .seconds(max(5, resyncInterval)), jsDomain: settings.jsDomain,
                                          history: window == .zero ? nil : HistoryConfiguration(start: .ago(window))))
        options.appSettings = appSettings
        // The UI takes the newest heartbeat of a host waiting in the hand-over, not every one.
        options.monitor.supersedesWaitingInputs = true
        options.healthProbeInterval = max(0, healthProbeInterval)
        options.timeTravelBytes = timeTravelMemory << 20
        // Provider incidents are counted over the history replayed (at least the last hour).
        options.model.triageWindow = max(3600, Double(window.components.seconds))
        options.log = try AppLog.open(level: logLevel, path: logFile, environment: environment)
        options.statsPath = environment["LATTICETOP_STATS"].flatMap { $0.isEmpty ? nil : $0 }
        return options
    }
}
