/// Remembers the last `capacity` events (ID and type) so a redelivered event is applied once.
struct DuplicateFilter: Sendable, Equatable {
    /// Hashes the ID once, when the key is made; evicting it later costs no second hash.
    struct Key: Hashable, Sendable {
        let id: String
        let type: UInt8
        let hash: Int

        init(id: String, type: UInt8) {
            self.id = id
            self.type = type
            hash = id.hashValue &+ Int(type)
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.hash == rhs.hash && lhs.type == rhs.type && lhs.id == rhs.id
        }
    }

    private var seen: Set<Key> = []
    private var order: [Key] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        seen.reserveCapacity(capacity)
        order.reserveCapacity(capacity)
    }

    /// `true` the first time an event is offered (within the window); events without an ID
    /// are always new.
    mutating func isNew(id: String, type: UInt8) -> Bool {
        guard capacity > 0, !id.isEmpty else { return true }
        let key = Key(id: id, type: type)
        guard seen.insert(key).inserted else { return false }
        if order.count < capacity {
            order.append(key)
        } else {
            seen.remove(order[next])
            order[next] = key
            next = (next + 1) % capacity
        }
        return true
    }

    static func == (lhs: DuplicateFilter, rhs: DuplicateFilter) -> Bool {
        lhs.capacity == rhs.capacity && lhs.seen == rhs.seen
    }
}
