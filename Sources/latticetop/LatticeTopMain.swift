import ArgumentParser
import LatticeTop
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The executable's entry point: the root command from LatticeTop, run asynchronously, with
/// `--version` (release and git commit, see `Version`).
@main
struct LatticeTopMain: AsyncParsableCommand {
    static let configuration: CommandConfiguration = {
        var configuration = LatticeTopCommand.configuration
        configuration.version = "latticetop " + Version.line
        return configuration
    }()

    static func main() async {
        // A write to a pipe whose reader has gone then fails with EPIPE, which the headless commands
        // take as "stop quietly", instead of the signal killing the process mid-cleanup.
        signal(SIGPIPE, SIG_IGN)
        MallocArenas.limit()
        await main(nil)
    }
}

/// glibc gives each thread that allocates under contention a heap arena of its own (up to 8 per
/// core) and keeps their freed pages, so a process whose subscription, capture and output threads
/// allocate at a high rate (the spy under a flood) holds several arenas' worth of freed memory.
/// Two arenas keep RSS near what is in use at no measurable cost to the rates. A user's own
/// `MALLOC_ARENA_MAX` wins; a no-op where `mallopt` does not exist.
enum MallocArenas {
    static let count: Int32 = 2

    static func limit() {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mArenaMax: Int32 = -8          // M_ARENA_MAX in glibc's <malloc.h>
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, count)
        #endif
    }
}
