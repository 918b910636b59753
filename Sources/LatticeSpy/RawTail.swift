/// The received messages of the most recent captured messages, kept whole (payload and every
/// header) for a detail view: at most `limit` messages and `byteBudget` payload bytes; a payload
/// larger than the budget is not kept.
struct RawTail: Sendable {
    private struct Entry: Sendable {
        var sequence: UInt64
        var raw: (any SpyMessageSource)?
        var bytes: Int
    }

    private var entries: [Entry] = []
    private var head = 0
    private(set) var bytes = 0
    let limit: Int
    let byteBudget: Int

    init(limit: Int, byteBudget: Int) {
        self.limit = max(0, limit)
        self.byteBudget = max(0, byteBudget)
    }

    var count: Int { entries.count - head }

    mutating func add(sequence: UInt64, raw: any SpyMessageSource, size: Int) {
        guard limit > 0, size <= byteBudget else { return }
        entries.append(Entry(sequence: sequence, raw: raw, bytes: size))
        bytes += size
        while count > limit || bytes > byteBudget { dropHead() }
        if head > 1024 && head > entries.count / 2 {
            entries.removeFirst(head)
            head = 0
        }
    }

    private mutating func dropHead() {
        bytes -= entries[head].bytes
        entries[head].raw = nil
        head += 1
    }

    func message(sequence: UInt64) -> (any SpyMessageSource)? {
        var lo = head
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].sequence < sequence { lo = mid + 1 } else { hi = mid }
        }
        guard lo < entries.count, entries[lo].sequence == sequence else { return nil }
        return entries[lo].raw
    }

    mutating func removeAll() {
        entries = []
        head = 0
        bytes = 0
    }
}
