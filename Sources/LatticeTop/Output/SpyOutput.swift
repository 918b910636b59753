import LatticeSpy
import Synchronization

/// What `latticetop spy` prints, for the event loop and the ticker (held text lines) alike: the
/// `--filter` and `--count` budget, the text printer's holding, and one output buffer written to
/// stdout once per batch. JSON lines come from `JSONLineWriter` (no `JSONEncoder`, escaping and
/// sanitising in one pass); text lines are sanitised as they are appended.
final class SpyOutput: Sendable {
    enum Format: Sendable {
        case text
        case jsonl
    }

    fileprivate struct State {
        let format: Format
        let filter: SpyFilter?
        let limit: Int?
        var printer: SpyTextPrinter
        var writer = JSONLineWriter()
        /// Invocations taken under `--count`, and those whose call has not ended (with `--count`
        /// only: without it, memory would grow by one entry per call for as long as the spy runs).
        var counted: Set<UInt64> = []
        var open: Set<UInt64> = []
        var linesPrinted = 0
    }

    private let state: Mutex<State>

    init(format: Format, filter: SpyFilter?, limit: Int?, hold: Duration) {
        state = Mutex(State(format: format, filter: filter, limit: limit, printer: SpyTextPrinter(hold: hold)))
    }

    /// Invocations tracked for their outcome (tests: stays 0 without `--count`).
    var tracked: Int { state.withLock { $0.open.count + $0.counted.count } }

    /// `--count` is reached and every counted call has been printed with its outcome.
    var isDone: Bool {
        state.withLock { s in
            guard let limit = s.limit else { return false }
            return s.counted.count >= limit && s.open.isEmpty && s.printer.heldCount == 0
        }
    }

    /// Lines printed so far.
    var linesPrinted: Int { state.withLock { $0.linesPrinted } }

    /// Prints what `batch` shows, a chunk of 128 events at a time, stopping early once `stop()`
    /// holds. Returns the messages in the events it left unprinted.
    @discardableResult
    func handle(_ batch: [SpyEvent], stop: () -> Bool = { false }) -> Int {
        var start = batch.startIndex
        while start < batch.endIndex {
            if stop() { return batch[start...].messageCount }
            let end = min(start + 128, batch.endIndex)
            state.withLock { s in s.print(batch[start..<end]) }
            start = end
        }
        return 0
    }

    /// Prints held text lines that are due.
    func tick() {
        state.withLock { s in
            guard s.format == .text else { return }
            s.writer.removeAll()
            s.appendText(s.printer.flush())
            s.write()
        }
    }

    /// Prints the lines still held (calls without an outcome yet, with `…`), oldest first, until
    /// `deadline`; returns how many are left unprinted.
    @discardableResult
    func finish(deadline: ContinuousClock.Instant = .now + .seconds(3600)) -> Int {
        state.withLock { s in
            guard s.format == .text else { return 0 }
            while s.printer.heldCount > 0 && ContinuousClock.now < deadline {
                s.writer.removeAll()
                s.appendText(s.printer.flush(now: .now + .seconds(3600), limit: 256))
                s.write()
            }
            return s.printer.heldCount
        }
    }
}

extension SpyOutput.State {
    /// Formats `events` (those shown) into the buffer and writes it.
    mutating func print(_ events: ArraySlice<SpyEvent>) {
        writer.removeAll()
        var shown: [SpyEvent] = []
        for event in events where shows(event) {
            switch format {
            case .jsonl:
                switch event {
                case .message(let m): writer.record(SpyRecord(m))
                case .call(let c): writer.record(SpyRecord(c.invocation, event: "call"))
                }
                writer.newline()
                linesPrinted += 1
            case .text:
                shown.append(event)
            }
        }
        if format == .text { appendText(printer.lines(for: shown)) }
        write()
    }

    /// Whether `event` passes the filter and the `--count` budget (taking budget as it goes).
    mutating func shows(_ event: SpyEvent) -> Bool {
        switch event {
        case .message(let m):
            if let filter, !filter.matches(m) { return false }
            if m.kind == .invocation {
                guard take(m.sequence) else { return false }
                // Only `--count` waits for outcomes; without it nothing is remembered per call.
                if limit != nil && !m.outcome.isFinal { open.insert(m.sequence) }
            } else if limit != nil && !counted.contains(m.callSequence) {
                return false
            }
        case .call(let call):
            if let filter, !filter.matches(call.invocation) { return false }
            if limit != nil {
                guard counted.contains(call.sequence) || take(call.sequence) else { return false }
                open.remove(call.sequence)
            }
        }
        return true
    }

    /// Whether an invocation fits in the `--count` budget (always, without one).
    private mutating func take(_ sequence: UInt64) -> Bool {
        guard let limit else { return true }
        if counted.contains(sequence) { return true }
        guard counted.count < limit else { return false }
        counted.insert(sequence)
        return true
    }

    mutating func appendText(_ lines: [String]) {
        for line in lines {
            writer.text(SafeText.sanitize(line))
            writer.newline()
        }
        linesPrinted += lines.count
    }

    func write() {
        guard !writer.bytes.isEmpty else { return }
        writer.bytes.withUnsafeBytes { _ = StandardOutput.out.write($0) }
    }
}
