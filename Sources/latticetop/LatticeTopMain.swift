import ArgumentParser
import LatticeTop

/// The executable's entry point: the root command from LatticeTop, run asynchronously.
@main
struct LatticeTopMain: AsyncParsableCommand {
    static let configuration = LatticeTopCommand.configuration
}
