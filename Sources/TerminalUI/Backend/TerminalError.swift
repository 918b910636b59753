/// The terminal could not be set up (no tty, unknown TERM, curses failed).
public struct TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
