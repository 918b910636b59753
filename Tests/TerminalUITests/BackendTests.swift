import Testing
@testable import TerminalUI

@Suite struct BackendTests {
    @Test func memoryBackendCountsOnlyChangedCells() {
        let backend = MemoryBackend(width: 10, height: 2)
        var canvas = Canvas(size: backend.size)
        canvas.put("hello", at: .zero)
        backend.present(canvas)
        #expect(backend.frameCount == 1)
        #expect(backend.lastFrameCells == 20)          // first frame: everything
        backend.present(canvas)
        #expect(backend.presentCount == 2)
        #expect(backend.frameCount == 1)               // nothing changed: nothing written
        #expect(backend.lastFrameCells == 0)
        canvas.put("J", at: .zero)
        canvas.put("漢", at: Point(x: 0, y: 1))
        backend.present(canvas)
        #expect(backend.frameCount == 2)
        #expect(backend.lastFrameCells == 2)
        #expect(backend.bytesWritten == 20 + 1 + 3)
        #expect(backend.lines() == ["Jello", "漢"])
    }

    @Test func memoryBackendResizeRedrawsEverything() {
        let backend = MemoryBackend(width: 4, height: 1)
        backend.present(Canvas(size: backend.size))
        backend.resize(to: Size(width: 6, height: 2))
        #expect(backend.readEvent(timeout: .zero) == .resize(Size(width: 6, height: 2)))
        backend.present(Canvas(size: backend.size))
        #expect(backend.lastFrameCells == 12)
    }

    @Test func memoryBackendDecodesQueuedBytes() {
        let backend = MemoryBackend(width: 4, height: 1)
        backend.enqueue(bytes: Array("q\u{1B}[A\u{1B}".utf8))
        #expect(backend.readEvent(timeout: .zero) == .key(.character("q")))
        #expect(backend.readEvent(timeout: .zero) == .key(.up))
        #expect(backend.readEvent(timeout: .zero) == .key(.escape))    // flushed after the "timeout"
        #expect(backend.readEvent(timeout: .zero) == nil)
    }

    @Test func colorPairsAreCachedAndLimited() {
        var pairs = ColorPairAllocator(limit: 3)
        let red = ColorPairAllocator.Colors(foreground: 1, background: -1)
        let blue = ColorPairAllocator.Colors(foreground: 4, background: -1)
        #expect(pairs.pair(for: .init(foreground: -1, background: -1))! == (0, false))
        #expect(pairs.pair(for: red)! == (1, true))
        #expect(pairs.pair(for: red)! == (1, false))
        #expect(pairs.pair(for: blue)! == (2, true))
        #expect(pairs.pair(for: .init(foreground: 2, background: 0)) == nil)   // pairs 1 and 2 only
        pairs.reset()
        #expect(pairs.pair(for: blue)! == (1, true))
    }

    @Test func cursesAttributeBitsMatchNcurses() {
        #expect(CursesAttributes.bold == 0x0020_0000)
        #expect(CursesAttributes.underline == 0x0002_0000)
        #expect(CursesAttributes.reverse == 0x0004_0000)
        #expect(CursesAttributes.dim == 0x0010_0000)
        #expect(CursesAttributes.italic == 0x8000_0000)
    }
}
