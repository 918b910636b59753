/// Where frames go and input comes from. The app loop draws a `Canvas`, calls `present(_:)` once per
/// frame, and polls `readEvent(timeout:)` between frames so it can also handle NATS batches and ticks.
public protocol TerminalBackend: AnyObject {
    /// The terminal size; draw the next frame at this size.
    var size: Size { get }
    /// What the terminal can show; downgrade the theme with it (`theme.downgraded(to:)`).
    var colorDepth: ColorDepth { get }
    /// Shows `canvas`, writing only what changed since the last frame (nothing when nothing did).
    func present(_ canvas: Canvas)
    /// The next input event, waiting at most `timeout`; nil when none arrived in time.
    func readEvent(timeout: Duration) -> InputEvent?
    /// Hands the terminal to `body` (e.g. to run `$EDITOR`) in its normal mode and takes it back
    /// afterwards, repainting everything on the next `present(_:)`.
    func suspend<Result>(_ body: () throws -> Result) rethrows -> Result
}

extension TerminalBackend {
    /// A backend without a real terminal has nothing to hand over.
    public func suspend<Result>(_ body: () throws -> Result) rethrows -> Result {
        try body()
    }
}
