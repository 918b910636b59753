import Foundation

/// Runs code with the terminal in curses mode and guarantees it is restored afterwards: on return,
/// on a thrown error, on `exit()`, on SIGINT/SIGTERM/SIGHUP/SIGQUIT, and on crashes.
///
/// ```swift
/// try await TerminalSession.run { terminal in
///     while running {
///         if let event = terminal.readEvent(timeout: .milliseconds(30)) { … }
///         terminal.present(view(state, terminal.size))
///     }
/// }
/// ```
public enum TerminalSession {
    public static func run<Result>(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        colorDepth: ColorDepth? = nil,
        _ body: (CursesBackend) throws -> Result
    ) throws -> Result {
        let backend = try CursesBackend(environment: environment, colorDepth: colorDepth)
        defer { backend.restore() }
        return try body(backend)
    }

    public static func run<Result>(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        colorDepth: ColorDepth? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CursesBackend) async throws -> Result
    ) async throws -> Result {
        let backend = try CursesBackend(environment: environment, colorDepth: colorDepth)
        defer { backend.restore() }
        return try await body(backend)
    }
}
