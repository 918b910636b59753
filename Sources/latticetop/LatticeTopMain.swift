import ArgumentParser
import LatticeTop

/// The executable's entry point: the root command from LatticeTop, run asynchronously, with
/// `--version` (release and git commit, see `Version`).
@main
struct LatticeTopMain: AsyncParsableCommand {
    static let configuration: CommandConfiguration = {
        var configuration = LatticeTopCommand.configuration
        configuration.version = "latticetop " + Version.line
        return configuration
    }()
}
