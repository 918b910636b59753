/// The panes, numbered as their keys.
public enum PaneID: Int, CaseIterable, Sendable, Hashable {
    case hosts = 1
    case components
    case providers
    case links
    case config
    case apps
    case events
    case spy

    public var title: String {
        switch self {
        case .hosts: return "Hosts"
        case .components: return "Components"
        case .providers: return "Providers"
        case .links: return "Links"
        case .config: return "Config"
        case .apps: return "Apps"
        case .events: return "Events"
        case .spy: return "Spy"
        }
    }

    /// The `:command` that opens the pane (k9s style), with short aliases.
    public var commandNames: [String] {
        switch self {
        case .hosts: return ["hosts", "host", "ho"]
        case .components: return ["components", "component", "comp", "co"]
        case .providers: return ["providers", "provider", "prov", "pr"]
        case .links: return ["links", "link", "li"]
        case .config: return ["config", "configs", "cfg"]
        case .apps: return ["apps", "app", "applications"]
        case .events: return ["events", "event", "ev"]
        case .spy: return ["spy"]
        }
    }

    public var next: PaneID { PaneID(rawValue: rawValue % PaneID.allCases.count + 1)! }
    public var previous: PaneID { PaneID(rawValue: (rawValue + PaneID.allCases.count - 2) % PaneID.allCases.count + 1)! }
}
