#if canImport(Glibc)
import Glibc
#endif

/// glibc gives each thread that allocates under contention a heap arena of its own (up to 8 per
/// core) and keeps their freed pages, so a process whose subscription, capture and output threads
/// allocate at a high rate (the spy under a flood) holds several arenas' worth of freed memory.
/// Two arenas keep RSS near what is in use at no measurable cost to the rates.
///
/// The dashboard gets one, and a fixed mmap threshold: at 10,000 hosts its monitor threads decode
/// thousands of heartbeats a second while the UI thread keeps the model; a second arena only adds
/// a second heap of free chunks, and glibc's sliding threshold (raised to the size of each large
/// block freed, up to 32 MiB) puts the large short-lived blocks (link listings, sync replies,
/// tables being resized) in the heap, where they leave holes, instead of mapping each on its own
/// and unmapping it when freed (Benchmarks/README.md, "Memory at scale").
///
/// A user's own `MALLOC_ARENA_MAX` / `MALLOC_MMAP_THRESHOLD_` wins; a no-op where `mallopt` does
/// not exist.
public enum MallocArenas {
    public static let count: Int32 = 2
    /// For the dashboard (the root command, `dashboard`, `demo`).
    public static let dashboardCount: Int32 = 1
    /// Blocks of this size or more are mapped on their own (the dashboard; glibc's starting value,
    /// kept instead of sliding up).
    public static let dashboardMmapThreshold: Int32 = 256 << 10

    /// The commands without a dashboard (`latticetop <command> …`).
    public static let headlessCommands: Set<String> = ["get", "events", "record", "spy", "sim"]

    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32

    /// Whether a process started with `arguments` (`CommandLine.arguments`) runs the dashboard:
    /// the subcommand comes first, and anything but a headless command's name (an option, or
    /// nothing) is the default one, the dashboard.
    public static func isDashboard(arguments: [String]) -> Bool {
        guard let first = arguments.dropFirst().first else { return true }
        return !headlessCommands.contains(first)
    }

    /// The tuning for a process started with `arguments`. Must run before a second thread
    /// allocates (glibc fixes the arena limit when it first needs another arena).
    public static func tune(forArguments arguments: [String]) {
        if isDashboard(arguments: arguments) {
            limit(to: dashboardCount)
            fixMmapThreshold(at: dashboardMmapThreshold)
        } else {
            limit(to: count)
        }
    }

    public static func limit(to arenas: Int32 = count) {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil, let mallopt = GlibcSymbol.function("mallopt", as: Mallopt.self) else { return }
        let mArenaMax: Int32 = -8          // M_ARENA_MAX in glibc's <malloc.h>
        _ = mallopt(mArenaMax, arenas)
        #endif
    }

    /// Blocks of `bytes` or more mapped on their own from now on, whatever size was freed before.
    public static func fixMmapThreshold(at bytes: Int32) {
        #if canImport(Glibc)
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil, let mallopt = GlibcSymbol.function("mallopt", as: Mallopt.self) else { return }
        let mMmapThreshold: Int32 = -3     // M_MMAP_THRESHOLD in glibc's <malloc.h>
        _ = mallopt(mMmapThreshold, bytes)
        #endif
    }
}
