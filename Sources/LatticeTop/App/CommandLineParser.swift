/// The `:` command line: parsing and completion (k9s style).
public enum CommandLineParser {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknown(String)
        case missingArgument(String)
        case invalidArgument(String, String)

        public var description: String {
            switch self {
            case .unknown(let c): return "unknown command :\(c) (try :hosts, :providers, :links, :spy, :lattice NAME, :theme NAME, :at 10:42, :live, :q)"
            case .missingArgument(let c): return ":\(c) needs an argument"
            case .invalidArgument(let c, let why): return ":\(c): \(why)"
            }
        }
    }

    static let verbs = ["lattice", "ctx", "context", "theme", "at", "live", "q", "quit", "q!"]

    /// Every command name, for completion.
    public static var names: [String] {
        (PaneID.allCases.flatMap(\.commandNames) + verbs).sorted()
    }

    public static func parse(_ text: String) -> Result<AppCommand, Failure> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(.unknown("")) }
        let argument = words.dropFirst().first
        if verb == "spy" { return .success(.spy(componentID: argument)) }
        if let pane = PaneID.allCases.first(where: { $0.commandNames.contains(verb) }) { return .success(.showPane(pane)) }
        switch verb {
        case "q", "quit", "q!": return .success(.quit)
        case "lattice":
            guard let argument else { return .failure(.missingArgument(verb)) }
            return .success(.switchLattice(argument))
        case "ctx", "context":
            guard let argument else { return .failure(.missingArgument(verb)) }
            return .success(.switchContext(argument))
        case "theme":
            guard let argument else { return .failure(.missingArgument(verb)) }
            return .success(.switchTheme(argument))
        case "at":
            guard let argument else { return .failure(.missingArgument(verb)) }
            guard let target = TravelTarget.parse(argument) else {
                return .failure(.invalidArgument(verb, "\(argument) is not a time (10:42, 10:42:03) nor a time ago (-15m, -1h30m)"))
            }
            return .success(.travel(.to(target)))
        case "live":
            return .success(.travel(.live))
        default:
            return .failure(.unknown(verb))
        }
    }

    /// Completions for what has been typed: command names, or the argument of `:theme`, `:ctx`,
    /// `:lattice` and `:spy` from `arguments`.
    public static func complete(_ text: String, arguments: [String: [String]] = [:]) -> [String] {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count <= 1 {
            let prefix = text.lowercased()
            return names.filter { $0.hasPrefix(prefix) && $0 != prefix }
        }
        let verb = parts[0].lowercased()
        let prefix = parts[1]
        let key = verb == "context" ? "ctx" : verb
        return (arguments[key] ?? []).filter { $0.hasPrefix(prefix) }.map { "\(parts[0]) \($0)" }
    }
}
