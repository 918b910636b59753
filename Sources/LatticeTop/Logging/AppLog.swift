import Foundation
import Logging

/// The app's loggers: all write to one file when a level is set (`--log-level` or
/// `LATTICETOP_LOG_LEVEL`), and are no-ops otherwise. Nothing is ever logged to the terminal.
public struct AppLog: Sendable {
    public let file: LogFile?
    public let level: Logger.Level

    /// No logging.
    public static let off = AppLog(file: nil, level: .critical)

    public init(file: LogFile?, level: Logger.Level) {
        self.file = file
        self.level = level
    }

    /// A logger named `label` (e.g. "latticetop.monitor").
    public func logger(_ label: String) -> Logger {
        guard let file else { return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() }) }
        let level = self.level
        return Logger(label: label, factory: { FileLogHandler(label: $0, file: file, level: level) })
    }

    /// `$XDG_STATE_HOME/latticetop/latticetop.log` (default `~/.local/state/latticetop/latticetop.log`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/state")
        return (state as NSString).appendingPathComponent("latticetop/latticetop.log")
    }

    /// The log for a level name (`trace` … `critical`; `off` or nil = none) and an optional path.
    public static func open(level name: String?, path: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppLog {
        guard let name = name ?? environment["LATTICETOP_LOG_LEVEL"], !name.isEmpty, name != "off" else { return .off }
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw LogFileError(message: "unknown log level '\(name)' (one of: off, \(names))")
        }
        return AppLog(file: try LogFile(path: path ?? defaultPath(environment: environment)), level: level)
    }
}
