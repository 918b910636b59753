/// What a row is about, as a typed value: the raw JSON (`y`), the target of an operate key and
/// `x` resolve it, so no code parses row IDs.
public enum RowItem: Hashable, Sendable, CustomStringConvertible {
    case host(String)
    case component(hostID: String, componentID: String)
    case provider(hostID: String, providerID: String)
    /// A link by its `LinkRecord.ID` description.
    case link(String)
    case config(String)
    /// One key of a named config.
    case configValue(config: String, key: String)
    case app(String)
    /// An entry of the event log, by its position in everything ever appended.
    case event(Int)
    case spyMessage(UInt64)
    case spyOperation(String)

    public var description: String {
        switch self {
        case .host(let id): return "host \(id)"
        case .component(let h, let id): return "component \(id) on \(h)"
        case .provider(let h, let id): return "provider \(id) on \(h)"
        case .link(let id): return "link \(id)"
        case .config(let name): return "config \(name)"
        case .configValue(let name, let key): return "config \(name) \(key)"
        case .app(let name): return "app \(name)"
        case .event(let n): return "event \(n)"
        case .spyMessage(let n): return "spy message \(n)"
        case .spyOperation(let op): return "operation \(op)"
        }
    }
}
