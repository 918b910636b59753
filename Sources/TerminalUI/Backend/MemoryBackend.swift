/// An in-memory terminal for tests and benchmarks: keeps what the screen shows, counts frames and
/// what a real terminal would have been sent, and plays back queued input.
public final class MemoryBackend: TerminalBackend {
    public private(set) var size: Size
    public var colorDepth: ColorDepth
    /// What the terminal shows now.
    public private(set) var screen: Canvas
    /// `present(_:)` calls.
    public private(set) var presentCount = 0
    /// Frames that changed at least one cell (a real backend writes nothing for the others).
    public private(set) var frameCount = 0
    /// Cells written over all frames.
    public private(set) var cellsWritten = 0
    /// UTF-8 bytes of the graphemes written over all frames (escape sequences not counted).
    public private(set) var bytesWritten = 0
    /// Cells written by the last `present(_:)`.
    public private(set) var lastFrameCells = 0
    private var events: [InputEvent] = []
    private var decoder = KeyDecoder()
    private var needsFullRedraw = true

    public init(size: Size, colorDepth: ColorDepth = .truecolor) {
        self.size = size
        self.colorDepth = colorDepth
        self.screen = Canvas(size: size)
    }

    public convenience init(width: Int, height: Int, colorDepth: ColorDepth = .truecolor) {
        self.init(size: Size(width: width, height: height), colorDepth: colorDepth)
    }

    public func present(_ canvas: Canvas) {
        presentCount += 1
        let runs: [CellRun]
        if needsFullRedraw || canvas.size != screen.size {
            runs = canvas.diff(from: Canvas(size: .zero))
            needsFullRedraw = false
        } else {
            runs = canvas.diff(from: screen)
        }
        screen = canvas
        lastFrameCells = 0
        guard !runs.isEmpty else { return }
        frameCount += 1
        for run in runs {
            for cell in run.cells {
                switch cell.content {
                case .scalar(let scalar): bytesWritten += UTF8.width(scalar)
                case .cluster(let character): bytesWritten += character.utf8.count
                case .continuation: continue
                }
                lastFrameCells += 1
            }
        }
        cellsWritten += lastFrameCells
    }

    public func readEvent(timeout: Duration) -> InputEvent? {
        if events.isEmpty && decoder.hasPendingInput { events.append(contentsOf: decoder.flush()) }
        return events.isEmpty ? nil : events.removeFirst()
    }

    /// Queues events for `readEvent(timeout:)`.
    public func enqueue(_ newEvents: InputEvent...) {
        events.append(contentsOf: newEvents)
    }

    /// Queues raw terminal bytes, decoded as a real terminal's input would be.
    public func enqueue(bytes: some Sequence<UInt8>) {
        events.append(contentsOf: decoder.decode(bytes))
    }

    /// Resizes the terminal: the next frame is drawn in full and a `.resize` event is queued.
    public func resize(to newSize: Size) {
        size = newSize
        needsFullRedraw = true
        events.append(.resize(newSize))
    }

    /// The screen's rows as text, for snapshot comparisons.
    public func lines(trimmingTrailingSpaces: Bool = true) -> [String] {
        screen.lines(trimmingTrailingSpaces: trimmingTrailingSpaces)
    }
}
