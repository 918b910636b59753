#if canImport(Glibc)
import Glibc
#endif

/// Hands free heap pages back to the kernel (glibc `malloc_trim(0)`, looked up at run time since
/// Swift's Glibc module does not declare it). The spy allocates and frees small blocks at a
/// high rate from several threads; glibc keeps the freed pages, so without this RSS drifts above
/// what is in use. A no-op where `malloc_trim` does not exist.
enum HeapTrimmer {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    static func trimNow() {
        _ = trim?(0)
    }
}
