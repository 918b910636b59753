#if canImport(Glibc)
import Glibc
#endif

/// Hands free heap pages back to the kernel (glibc `malloc_trim(0)`, looked up at run time since
/// Swift's Glibc module does not declare it). glibc keeps the pages of freed blocks in the middle
/// of its heaps: a process that allocates and frees at a high rate (the spy under a flood, the
/// dashboard folding 10,000 hosts' heartbeats) drifts above what is in use without this. A no-op
/// where `malloc_trim` does not exist.
public enum HeapTrimmer {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = GlibcSymbol.function("malloc_trim", as: Trim.self)

    public static func trimNow() {
        _ = trim?(0)
    }
}

/// A function of the C library looked up by name at run time (nil where it does not exist).
enum GlibcSymbol {
    static func function<F>(_ name: String, as type: F.Type) -> F? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }
}
