/// A large generated workload instead of the demo's, for scale tests and benchmarks: components,
/// providers and links spread round-robin over the hosts, in apps of ten, with a few named configs.
/// Links are unique by (source, namespace, package, name) as a host requires: each component
/// links to one provider per package, as many packages as `links / components` asks for.
public struct ScaleWorkload: Sendable, Equatable {
    public var components: Int
    public var providers: Int
    public var links: Int
    public var configs: Int

    public init(components: Int, providers: Int, links: Int, configs: Int = 100) {
        self.components = max(0, components)
        self.providers = max(0, providers)
        self.links = max(0, links)
        self.configs = max(0, configs)
    }

    /// issue #7's scale: 1,000 hosts' worth (10 components, 2 providers, 20 links per host).
    public static func perHost(_ hosts: Int) -> ScaleWorkload {
        ScaleWorkload(components: hosts * 10, providers: hosts * 2, links: hosts * 20, configs: max(1, hosts / 10))
    }

    static let packages = ["keyvalue", "blobstore", "messaging", "http", "logging", "config", "sql", "secrets"]

    func componentID(_ i: Int) -> String { "scale-component-" + Self.padded(i) }
    func providerID(_ i: Int) -> String { "scale-provider-" + Self.padded(i) }
    func configName(_ i: Int) -> String { "scale-config-" + Self.padded(i) }
    func app(_ component: Int) -> String { "scale-app-" + Self.padded(component / 10) }

    /// The links: link `i` goes from component `i % components` to provider `i % providers`,
    /// on the `i / components`-th package.
    func link(_ i: Int) -> SimulatedLink? {
        guard components > 0, providers > 0 else { return nil }
        let round = i / components
        let package = round < Self.packages.count ? Self.packages[round] : "package\(round)"
        let config = configs > 0 ? [configName(i % configs)] : []
        return SimulatedLink(sourceID: componentID(i % components), target: providerID(i % providers), witNamespace: "wasi",
                    witPackage: package, interfaces: ["store"], sourceConfig: [], targetConfig: config)
    }

    static func padded(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }
}

/// Where a scale workload's items go when a simulator holds lattice hosts `first ..< first + count`
/// of `latticeHosts`: item `i` (component or provider) on lattice host `i % latticeHosts`.
struct ScalePlacement: Sendable, Equatable {
    var latticeHosts: Int
    var first: Int
    var count: Int

    init(latticeHosts: Int, first: Int, count: Int) {
        self.latticeHosts = max(1, latticeHosts, first + count)
        self.first = first
        self.count = count
    }

    /// The items below `total` that fall on this simulator's hosts, in order.
    func indexes(below total: Int) -> [Int] {
        guard count > 0, total > 0 else { return [] }
        var out: [Int] = []
        out.reserveCapacity(total / latticeHosts * count + count)
        var round = 0
        while round * latticeHosts + first < total {
            let base = round * latticeHosts + first
            for i in base..<min(total, base + count) { out.append(i) }
            round += 1
        }
        return out
    }

    /// The index among this simulator's hosts of the host item `i` goes on.
    func localHost(of i: Int) -> Int { i % latticeHosts - first }
}
