/// Hands out curses colour pairs on demand, one per (foreground, background) combination, within
/// the terminal's pair limit. Pair 0 is the terminal default and is never allocated.
struct ColorPairAllocator: Sendable {
    struct Colors: Hashable, Sendable {
        /// Curses colour numbers; -1 is the terminal default.
        var foreground: Int32
        var background: Int32
    }

    /// Pairs 1 ..< limit can be allocated.
    let limit: Int32
    private var pairs: [Colors: Int32] = [:]
    private var next: Int32 = 1

    init(limit: Int32) {
        self.limit = max(1, limit)
    }

    var allocatedCount: Int { pairs.count }

    /// The pair for `colors` and whether it was just allocated (and so must be initialised with
    /// `init_extended_pair`); nil when every pair is taken.
    mutating func pair(for colors: Colors) -> (pair: Int32, isNew: Bool)? {
        if colors.foreground == -1 && colors.background == -1 { return (0, false) }
        if let existing = pairs[colors] { return (existing, false) }
        guard next < limit else { return nil }
        let pair = next
        next += 1
        pairs[colors] = pair
        return (pair, true)
    }

    /// Forgets every pair (the caller then redraws everything, since pairs get new colours).
    mutating func reset() {
        pairs.removeAll(keepingCapacity: true)
        next = 1
    }
}
