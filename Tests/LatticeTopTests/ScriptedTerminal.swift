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

    func present(_ canvas: Canvas) {
        condition.withLock { screen = canvas }
    }

    func readEvent(timeout: Duration) -> InputEvent? {
        condition.lock()
        defer { condition.unlock() }
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
