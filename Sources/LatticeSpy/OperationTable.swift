/// The per-operation statistics, bounded: once `limit` operations are tracked, new ones are
/// pooled under `(other)`.
struct OperationTable: Sendable {
    private(set) var stats: [SpyOperationStats] = []
    private var index: [String: Int] = [:]
    /// Route object → slot: hashing a route's number is cheaper than its operation string.
    private var byRoute: [UInt64: Int] = [:]
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    private mutating func slot(_ route: SpyRoute) -> Int {
        if let i = byRoute[route.id] { return i }
        let i = slotByName(route)
        if byRoute.count >= 8192 { byRoute.removeAll(keepingCapacity: true) }
        byRoute[route.id] = i
        return i
    }

    private mutating func slotByName(_ route: SpyRoute) -> Int {
        if let i = index[route.operation] { return i }
        if stats.count >= limit {
            if let i = index[SpyOperationStats.otherInstance] { return i }
            stats.append(SpyOperationStats(instance: SpyOperationStats.otherInstance, function: ""))
            index[SpyOperationStats.otherInstance] = stats.count - 1
            return stats.count - 1
        }
        stats.append(SpyOperationStats(instance: route.instance, function: route.function))
        index[route.operation] = stats.count - 1
        return stats.count - 1
    }

    mutating func invoked(_ route: SpyRoute) {
        stats[slot(route)].calls += 1
    }

    mutating func handshake(_ route: SpyRoute, latency: Duration) {
        stats[slot(route)].handshakeLatency.record(latency)
    }

    mutating func completed(_ route: SpyRoute, outcome: SpyOutcome, latency: Duration?) {
        let i = slot(route)
        switch outcome {
        case .ok:
            stats[i].ok += 1
            if let latency { stats[i].latency.record(latency) }
        case .notConnected, .failed: stats[i].failures += 1
        case .timedOut: stats[i].timeouts += 1
        case .pending, .unobserved, .evicted: break
        }
    }

    /// Busiest first.
    var sorted: [SpyOperationStats] {
        stats.sorted { $0.calls != $1.calls ? $0.calls > $1.calls : $0.operation < $1.operation }
    }
}
