/// The registration of every pane and drill-down screen: the tabs (in order: their number keys),
/// the `:commands`, the key table, hint bar and help all come from here and the declarations.
/// Adding a pane is one file (its `ScreenSpec`) plus one line here.
enum ViewRegistry {
    static let panes: [PaneSpec] = [
        HostsScreen.pane, ComponentsScreen.pane, ProvidersScreen.pane, LinksScreen.pane,
        ConfigsScreen.pane, AppsScreen.pane, EventsScreen.pane, SpyScreen.pane,
    ]

    /// The screens rows drill down to.
    static let drillDowns: [any ScreenSpec.Type] = [
        HostScreen.self, ComponentScreen.self, ProviderScreen.self, LinkScreen.self, ConfigScreen.self, AppScreen.self,
        SpyMessageScreen.self, SpyOperationsScreen.self,
    ]

    static var screens: [any ScreenSpec.Type] { panes.map(\.screen) + drillDowns }

    /// Every registered screen.
    static var kinds: [ScreenKind] { screens.map { $0.kind } }

    static func pane(_ id: PaneID) -> PaneSpec {
        guard let spec = panes.first(where: { $0.id == id }) else { preconditionFailure("pane \(id) is not registered") }
        return spec
    }

    static func screen(_ kind: ScreenKind) -> any ScreenSpec.Type {
        guard let screen = screens.first(where: { $0.kind == kind }) else { preconditionFailure("screen \(kind) is not registered") }
        return screen
    }
}

/// Drill-downs by what they open (rows and tests make them with these).
extension DrillTarget {
    public static func host(_ id: String) -> DrillTarget { DrillTarget(screen: .host, item: .host(id)) }
    public static func component(hostID: String, componentID: String) -> DrillTarget {
        DrillTarget(screen: .component, item: .component(hostID: hostID, componentID: componentID))
    }
    public static func provider(hostID: String, providerID: String) -> DrillTarget {
        DrillTarget(screen: .provider, item: .provider(hostID: hostID, providerID: providerID))
    }
    public static func link(_ id: String) -> DrillTarget { DrillTarget(screen: .link, item: .link(id)) }
    public static func config(_ name: String) -> DrillTarget { DrillTarget(screen: .config, item: .config(name)) }
    public static func app(_ name: String) -> DrillTarget { DrillTarget(screen: .app, item: .app(name)) }
    public static func spyMessage(_ sequence: UInt64) -> DrillTarget { DrillTarget(screen: .spyMessage, item: .spyMessage(sequence)) }
    public static let spyOperations = DrillTarget(screen: .spyOperations, item: nil)

    /// The host of the item opened (host, component or provider), "" otherwise.
    var hostID: String {
        switch item {
        case .host(let h)?, .component(let h, _)?, .provider(let h, _)?: return h
        default: return ""
        }
    }

    /// The ID or name of the item opened.
    var itemID: String {
        switch item {
        case .host(let id)?, .component(_, let id)?, .provider(_, let id)?, .link(let id)?, .config(let id)?, .app(let id)?: return id
        case .configValue(let name, _)?: return name
        case .spyOperation(let op)?: return op
        case .event(let n)?: return String(n)
        case .spyMessage(let n)?: return String(n)
        case nil: return ""
        }
    }

    var spySequence: UInt64? {
        if case .spyMessage(let n)? = item { return n }
        return nil
    }
}
