import ArgumentParser

/// `latticetop`: the root command.
public struct LatticeTopCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "latticetop",
        abstract: "A terminal dashboard for wasmCloud lattices.",
        subcommands: [DashboardCommand.self, DemoCommand.self, GetCommand.self, EventsCommand.self, RecordCommand.self, SpyCommand.self, SimCommand.self],
        defaultSubcommand: DashboardCommand.self
    )

    public init() {}
}

/// The output formats of headless commands.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
    /// One compact JSON object a line: `get hosts` and `get inventory` print each as its reply
    /// arrives; the other `get` commands one line a row once they have all.
    case jsonl
}
