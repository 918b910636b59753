import Foundation
import TerminalUI

/// A terminal for driving the whole dashboard from a test: thread-safe (the app loop runs on
/// its own thread), input queued by the test, the last frame kept as text.
final class ScriptedTerminal: TerminalBackend, @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [InputEvent] = []
    private var screen: Canvas
    let size: Size
    let colorDepth: ColorDepth = .truecolor

    init(width: Int = 160, height: Int = 45) {
        size = Size(width: width, height: height)
        screen = Canvas(size: size)
    }

    /// A text awaited by `timeToFrame`, and when the first frame showing it was presented.
    private var awaited: (needle: String, shownAt: ContinuousClock.Instant?)?

    /// The terminal is handed over (`$EDITOR`): the loop must neither draw nor read keys.
    private var suspended = false
    /// Times the terminal was handed over, and what the loop did with it meanwhile.
    private(set) var suspensions = 0
    private(set) var drawnWhileSuspended = 0
    private(set) var readWhileSuspended = 0

    var isSuspended: Bool { condition.withLock { suspended } }
    var handOvers: (suspensions: Int, drawn: Int, read: Int) {
        condition.withLock { (suspensions, drawnWhileSuspended, readWhileSuspended) }
    }

    func suspend<Result>(_ body: () throws -> Result) rethrows -> Result {
        condition.withLock {
            suspended = true
            suspensions += 1
        }
        defer { condition.withLock { suspended = false } }
        return try body()
    }

    func present(_ canvas: Canvas) {
        condition.withLock {
            if suspended { drawnWhileSuspended += 1 }
            screen = canvas
            if let a = awaited, a.shownAt == nil, canvas.lines().joined(separator: "\n").contains(a.needle) {
                awaited?.shownAt = .now
            }
        }
    }

    /// Queues `keys` and measures how long it takes until a presented frame shows `needle`
    /// (stamped when the frame is presented, not when the test looks); nil after `timeout`.
    func timeToFrame(after keys: [Key], showing needle: String, timeout: Duration = .seconds(5)) async -> Duration? {
        let start = condition.withLock { () -> ContinuousClock.Instant in
            awaited = (needle, nil)
            events.append(contentsOf: keys.map { .key($0) })
            condition.broadcast()
            return .now
        }
        let deadline = start + timeout
        while ContinuousClock.now < deadline {
            if let shown = condition.withLock({ awaited?.shownAt }) { return shown - start }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return condition.withLock { awaited?.shownAt.map { $0 - start } }
    }

    func readEvent(timeout: Duration) -> InputEvent? {
        condition.lock()
        defer { condition.unlock() }
        if suspended { readWhileSuspended += 1 }
        if events.isEmpty, timeout > .zero {
            let (s, atto) = timeout.components
            _ = condition.wait(until: Date().addingTimeInterval(Double(s) + Double(atto) / 1e18))
        }
        return events.isEmpty ? nil : events.removeFirst()
    }

    func press(_ keys: Key...) {
        condition.withLock {
            events.append(contentsOf: keys.map { .key($0) })
            condition.signal()
        }
    }

    /// Types text one key at a time.
    func type(_ text: String) {
        condition.withLock {
            events.append(contentsOf: text.map { .key(.character($0)) })
            condition.signal()
        }
    }

    var text: String { condition.withLock { screen.lines().joined(separator: "\n") } }

    /// Waits until the screen shows `needle`; false after `timeout`.
    func waitFor(_ needle: String, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if text.contains(needle) { return true }
            try? await Task.sleep(for: .milliseconds(40))
        }
        return text.contains(needle)
    }

    /// Waits until the queued keys have been read (and a frame or two drawn).
    func settle() async {
        for _ in 0..<200 where condition.withLock({ !events.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await Task.sleep(for: .milliseconds(150))
    }
}
