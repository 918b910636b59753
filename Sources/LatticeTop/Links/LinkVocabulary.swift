import Foundation
import LatticeProtocol
import LatticeState

/// What the lattice offers to a link form: the IDs that run, the named configs, the WIT
/// namespaces, packages and interfaces seen on links, on v2 hosts and in spied wRPC traffic.
/// Feeds completion and validation; pure.
public struct LinkVocabulary: Sendable, Equatable {
    /// Components and providers running somewhere.
    public var componentIDs: [String] = []
    public var providerIDs: [String] = []
    /// Some host has reported what runs on it (before that "not running" would be a guess).
    public var knowsWorkloads = false
    public var configNames: Set<String> = []
    /// Config names can be listed (the CONFIGDATA bucket answered).
    public var configNamesKnown = false
    /// Links that exist now.
    public var links: [Link] = []
    /// Link names in use.
    public var linkNames: [String] = []
    /// `namespace:package` → interfaces, from every source.
    public var interfaces: [WITPackage: Set<String>] = [:]

    public struct WITPackage: Sendable, Hashable, Comparable {
        public var namespace: String
        public var package: String

        public static func < (a: WITPackage, b: WITPackage) -> Bool { (a.namespace, a.package) < (b.namespace, b.package) }
    }

    public init() {}

    /// From the lattice state, plus WIT instances seen by the spy (`wasi:http/incoming-handler@0.2.0`).
    public init(state: LatticeState, spiedInstances: [String] = []) {
        var components = Set<String>(), providers = Set<String>()
        for host in state.hosts.values where !host.liveness.isStopped {
            for c in host.components.values where c.status == .running { components.insert(c.id) }
            for p in host.providers.values where p.status.isRunning { providers.insert(p.id) }
            for wit in (host.v2?.imports ?? []) + (host.v2?.exports ?? []) {
                add(namespace: wit.namespace, package: wit.package, interfaces: wit.interfaces)
            }
        }
        componentIDs = components.sorted()
        providerIDs = providers.sorted()
        knowsWorkloads = state.knowsWorkloads
        configNames = Set(state.configs.values.filter(\.exists).map(\.name))
        configNamesKnown = state.configNamesKnown
        links = state.links.values.filter(\.isPresent).map(\.link).sorted { LinkKey($0) < LinkKey($1) }
        linkNames = Array(Set(links.map(\.name) + [Link.defaultName])).sorted()
        for l in state.links.values.map(\.link) { add(namespace: l.witNamespace, package: l.witPackage, interfaces: l.interfaces) }
        for instance in spiedInstances { addInstance(instance) }
    }

    /// IDs of everything running (sources and targets).
    public var workloadIDs: Set<String> { Set(componentIDs).union(providerIDs) }

    mutating func add(namespace: String, package: String, interfaces new: [String]) {
        guard !namespace.isEmpty, !package.isEmpty else { return }
        interfaces[WITPackage(namespace: namespace, package: package), default: []].formUnion(new.filter { !$0.isEmpty })
    }

    /// `ns:pkg/iface@version` (a wRPC instance name).
    mutating func addInstance(_ instance: String) {
        let (ns, rest) = instance.split(at: ":")
        let (pkg, iface) = rest.split(at: "/")
        add(namespace: ns, package: pkg.split(at: "@").0, interfaces: [iface.split(at: "@").0])
    }

    // MARK: - Completion

    /// Everything that fits `field` given the other fields (the interfaces of the package typed,
    /// the packages of the namespace typed), without the list items already chosen; best first.
    public func pool(for field: LinkDraft.Field, in draft: LinkDraft) -> [String] {
        let chosen = field.isList ? Set(draft.items(field).dropLast(Self.lastItem(draft[field]).isEmpty ? 0 : 1)) : []
        switch field {
        case .source: return componentIDs + providerIDs.filter { !componentIDs.contains($0) }
        case .target: return providerIDs + componentIDs.filter { !providerIDs.contains($0) }
        case .name: return linkNames
        case .namespace: return Array(Set(interfaces.keys.map(\.namespace))).sorted()
        case .package:
            let ns = draft[.namespace].trimmed
            return Array(Set(interfaces.keys.filter { ns.isEmpty || $0.namespace == ns }.map(\.package))).sorted()
        case .interfaces:
            let key = WITPackage(namespace: draft[.namespace].trimmed, package: draft[.package].trimmed)
            return (interfaces[key] ?? []).subtracting(chosen).sorted()
        case .sourceConfig, .targetConfig:
            return configNames.subtracting(chosen).sorted()
        }
    }

    /// The candidates for `field` given what the draft holds so far: those starting with the
    /// text typed (for list fields: the last item), best first.
    public func candidates(for field: LinkDraft.Field, in draft: LinkDraft) -> [String] {
        let typed = field.isList ? Self.lastItem(draft[field]) : draft[field].trimmed
        let lower = typed.lowercased()
        return pool(for: field, in: draft).filter { $0.lowercased().hasPrefix(lower) && $0 != typed }
    }

    /// Completes `field` in `draft`: a single candidate is taken whole, several are completed
    /// to their common prefix. Returns the candidates that were considered.
    @discardableResult
    public func complete(_ field: LinkDraft.Field, in draft: inout LinkDraft) -> [String] {
        let options = candidates(for: field, in: draft)
        guard let first = options.first else { return [] }
        let completion = options.count == 1 ? first : Self.commonPrefix(options)
        guard completion.count > (field.isList ? Self.lastItem(draft[field]) : draft[field].trimmed).count else { return options }
        if field.isList {
            var items = draft[field].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if items.isEmpty { items = [""] }
            items[items.count - 1] = completion
            draft[field] = items.map(\.trimmed).joined(separator: ",")
        } else {
            draft[field] = completion
        }
        return options
    }

    static func lastItem(_ text: String) -> String {
        String(text.split(separator: ",", omittingEmptySubsequences: false).last ?? "").trimmed
    }

    static func commonPrefix(_ options: [String]) -> String {
        guard var prefix = options.first else { return "" }
        for o in options.dropFirst() { while !o.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }
}
