import ArgumentParser
import LatticeTop
import MallocTuning
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
