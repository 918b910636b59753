// Curses keeps its state in C globals (stdscr, COLORS…); this backend is used from one thread.
@preconcurrency import CCurses
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal through ncursesw: the only code that calls curses.
///
/// Each frame writes only the cells that changed since the previous one, then `wnoutrefresh` and one
/// `doupdate`; a frame with no changes writes nothing. Colour pairs are allocated on demand and cached.
/// A resize (SIGWINCH → `KEY_RESIZE`) reports the new size and redraws everything. The terminal is
/// restored by `restore()`, `deinit`, `exit()`, termination signals and crashes (see `TerminalSession`).
/// Not thread-safe: use it from one thread or actor.
public final class CursesBackend: TerminalBackend {
    public private(set) var size: Size
    public let colorDepth: ColorDepth

    private let window: UnsafeMutablePointer<WINDOW>
    private let colors: CursesColorMapping
    private var pairs: ColorPairAllocator
    private var styleCache: [Style: (attributes: attr_t, pair: Int32)] = [:]
    private var previous: Canvas?
    private var decoder = KeyDecoder()
    private var events: [InputEvent] = []
    private let utf8Locale: Bool
    /// The locale the user runs is not UTF-8 (`LANG=C`, `POSIX`, Latin-1): every cell is drawn as
    /// ASCII (`ASCIIFallback`), since the terminal cannot be trusted to show UTF-8.
    public let asciiOnly: Bool
    private let escapeDelay: Int32
    private var restored = false

    /// Takes over the terminal. `colorDepth` overrides what the environment asks for (it is still
    /// capped by what terminfo says the terminal can do).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                colorDepth requestedDepth: ColorDepth? = nil,
                escapeDelayMilliseconds: Int = 25) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("latticetop needs a terminal (stdin and stdout must be a tty)")
        }
        TerminalRestorer.install()
        guard !TerminalRestorer.cursesActive.load(ordering: .sequentiallyConsistent) else {
            throw TerminalError("a curses session is already running")
        }
        setlocale(LC_ALL, "")
        var isUTF8 = Self.localeIsUTF8()
        asciiOnly = !isUTF8 || environment["LATTICETOP_ASCII"] == "1"
        if !isUTF8, setlocale(LC_CTYPE, "C.UTF-8") != nil {
            isUTF8 = Self.localeIsUTF8()
        }
        utf8Locale = isUTF8

        // newterm is initscr without the exit() on failure.
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
              newterm(nil, output, input) != nil, let standard = stdscr else {
            let term = environment["TERM"] ?? ""
            throw TerminalError("cannot use terminal type '\(term)' (no terminfo entry?); try TERM=xterm-256color")
        }
        TerminalRestorer.cursesActive.store(true, ordering: .sequentiallyConsistent)
        window = standard

        raw()
        noecho()
        nonl()
        // Keys are decoded by `KeyDecoder` alone, from the bytes: curses' keypad translation (and
        // its own ESC timer) stays off, so there is one decoder and one escape timeout.
        keypad(window, false)
        intrflush(window, false)
        curs_set(0)
        escapeDelay = Int32(max(1, escapeDelayMilliseconds))
        leaveok(window, true)

        var terminalDepth = ColorDepth.noColor
        var colorCount = 0
        var pairLimit: Int32 = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(COLORS)
            pairLimit = min(COLOR_PAIRS, 32767)
            switch colorCount {
            case 0x1000000...: terminalDepth = .truecolor
            case 256...: terminalDepth = .palette256
            case 8...: terminalDepth = .ansi16
            default: terminalDepth = .noColor
            }
        }
        let wanted = requestedDepth ?? ColorDepth.detect(environment: environment)
        colorDepth = pairLimit > 1 ? min(wanted, terminalDepth) : .noColor
        colors = CursesColorMapping(depth: colorDepth, colorCount: colorCount)
        pairs = ColorPairAllocator(limit: max(1, pairLimit))
        size = Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    deinit {
        restore()
    }

    /// Gives the terminal back (endwin). Idempotent; the backend must not be used afterwards.
    public func restore() {
        guard !restored else { return }
        restored = true
        TerminalRestorer.restore()
    }

    /// Leaves curses for `body` (normal screen, cooked tty, cursor shown) and comes back: the
    /// terminal modes are put back, the screen is cleared and the next frame is drawn in full,
    /// at the size the terminal has by then. A signal that ends the process meanwhile finds
    /// the terminal already restored.
    public func suspend<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard !restored else { return try body() }
        def_prog_mode()
        endwin()
        TerminalRestorer.cursesActive.store(false, ordering: .sequentiallyConsistent)
        fflush(stdout)
        defer {
            TerminalRestorer.cursesActive.store(true, ordering: .sequentiallyConsistent)
            reset_prog_mode()
            curs_set(0)
            clearok(curscr, true)
            wrefresh(window)
            previous = nil
            size = Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
        }
        return try body()
    }

    // MARK: Output

    /// False once the terminal was given back, here or by a signal handler on another thread: a
    /// later `doupdate` or `wget_wch` would put curses back in program mode (keypad, alternate
    /// screen) on a terminal that the shell owns again.
    private var active: Bool {
        !restored && TerminalRestorer.cursesActive.load(ordering: .sequentiallyConsistent)
    }

    public func present(_ canvas: Canvas) {
        guard active else { return }
        if !draw(canvas, full: previous == nil || previous?.size != canvas.size) {
            // Out of colour pairs: start over with fresh pairs and repaint the whole screen.
            pairs.reset()
            styleCache.removeAll(keepingCapacity: true)
            _ = draw(canvas, full: true, allowPairOverflow: true)
        }
        previous = canvas
    }

    /// Draws the changed cells and flushes; false when colour pairs ran out part way.
    private func draw(_ canvas: Canvas, full: Bool, allowPairOverflow: Bool = false) -> Bool {
        let runs = full ? canvas.diff(from: Canvas(size: .zero)) : canvas.diff(from: previous!)
        guard !runs.isEmpty else { return true }
        if full { clearok(window, true) }
        let rows = Int(getmaxy(window))
        let columns = Int(getmaxx(window))
        var characters = [wchar_t](repeating: 0, count: 6)
        var cell = cchar_t()
        for run in runs where run.y < rows {
            var x = run.x
            for current in run.cells {
                defer { x += 1 }
                if (current.isContinuation && !asciiOnly) || x >= columns { continue }
                guard let code = resolve(current.style, allowOverflow: allowPairOverflow) else { return false }
                var count = asciiOnly ? fillASCII(&characters, from: current) : fill(&characters, from: current)
                if current.width == 2 && x + 1 >= columns {   // half a wide grapheme at the edge
                    characters[0] = 0x20
                    count = 1
                }
                characters[count] = 0
                var pair = code.pair
                setcchar(&cell, characters, code.attributes, Int16(clamping: pair), &pair)
                mvwadd_wch(window, Int32(run.y), Int32(x), &cell)
            }
        }
        wnoutrefresh(window)
        doupdate()
        return true
    }

    /// Writes the cell's scalars into `buffer` (at most 5, curses' CCHARW_MAX) and returns how many;
    /// a longer cluster (a big emoji ZWJ sequence) is drawn as its first scalar.
    private func fill(_ buffer: inout [wchar_t], from cell: Cell) -> Int {
        switch cell.content {
        case .scalar(let scalar):
            buffer[0] = wchar_t(bitPattern: scalar.value)
            return 1
        case .cluster(let character):
            let scalars = character.unicodeScalars
            var count = 0
            for scalar in scalars where count < 5 {
                buffer[count] = wchar_t(bitPattern: scalar.value)
                count += 1
            }
            return scalars.count > 5 ? 1 : count
        case .continuation:
            buffer[0] = 0x20
            return 1
        }
    }

    /// One ASCII character for the cell: its fallback, `?` for a wide grapheme (its second cell, a
    /// continuation, is drawn as a space).
    private func fillASCII(_ buffer: inout [wchar_t], from cell: Cell) -> Int {
        switch cell.content {
        case .scalar(let scalar):
            buffer[0] = wchar_t(bitPattern: (cell.width == 2 ? "?" : ASCIIFallback.scalar(for: scalar)).value)
        case .cluster(let character):
            let first = character.unicodeScalars.first ?? "?"
            buffer[0] = wchar_t(bitPattern: (cell.width == 2 ? "?" : ASCIIFallback.scalar(for: first)).value)
        case .continuation:
            buffer[0] = 0x20
        }
        return 1
    }

    private func resolve(_ style: Style, allowOverflow: Bool) -> (attributes: attr_t, pair: Int32)? {
        if let cached = styleCache[style] { return cached }
        let shown = style.downgraded(to: colorDepth)
        let attributes = CursesAttributes.bits(for: shown.attributes)
        var pair: Int32 = 0
        if colorDepth != .noColor {
            let key = ColorPairAllocator.Colors(foreground: colors.number(for: shown.foreground),
                                                background: colors.number(for: shown.background))
            if let allocated = pairs.pair(for: key) {
                pair = allocated.pair
                if allocated.isNew && init_extended_pair(pair, key.foreground, key.background) == ERR {
                    if key.foreground <= 32767 && key.background <= 32767 {
                        init_pair(Int16(pair), Int16(key.foreground), Int16(key.background))
                    }
                }
            } else if !allowOverflow {
                return nil
            }
        }
        let code = (attributes: attributes, pair: pair)
        styleCache[style] = code
        return code
    }

    // MARK: Input

    public func readEvent(timeout: Duration) -> InputEvent? {
        guard active else { return nil }
        if events.isEmpty {
            let milliseconds = Int32(clamping: timeout.components.seconds * 1000
                + timeout.components.attoseconds / 1_000_000_000_000_000)
            if readOne(waitingMilliseconds: max(0, milliseconds)) {
                // Take whatever else has already arrived, so a sequence is decoded as a whole.
                var budget = 4096
                while budget > 0, readOne(waitingMilliseconds: 0) { budget -= 1 }
                if decoder.hasPendingInput && !readOne(waitingMilliseconds: escapeDelay) {
                    events.append(contentsOf: decoder.flush())
                }
            } else if decoder.hasPendingInput {
                events.append(contentsOf: decoder.flush())
            }
        }
        return events.isEmpty ? nil : events.removeFirst()
    }

    /// Reads one curses input unit; false when none arrived within the wait.
    private func readOne(waitingMilliseconds milliseconds: Int32) -> Bool {
        guard active else { return false }
        wtimeout(window, milliseconds)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == KEY_CODE_YES {
            // With keypad off the only code curses reports is KEY_RESIZE (from SIGWINCH).
            if Int32(bitPattern: character) == KEY_RESIZE {
                if decoder.hasPendingInput { events.append(contentsOf: decoder.flush()) }
                size = Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
                previous = nil
                events.append(.resize(size))
            }
            return true
        }
        guard result == OK else { return false }
        if !utf8Locale && character < 0x100 {
            events.append(contentsOf: decoder.decode([UInt8(character)]))
        } else if let scalar = Unicode.Scalar(character) {
            events.append(contentsOf: decoder.decode(Array(String(Character(scalar)).utf8)))
        }
        return true
    }

    private static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }
}
