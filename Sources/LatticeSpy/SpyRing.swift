/// A fixed-capacity ring buffer addressed by absolute position: element `n` is the n-th ever
/// appended (0-based); the oldest are overwritten once `capacity` is reached, so memory stays
/// flat.
public struct SpyRing<Element> {
    public let capacity: Int
    private var storage: ContiguousArray<Element> = []
    /// How many elements were ever appended.
    public private(set) var totalAppended: UInt64 = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Elements held now (≤ capacity).
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// Absolute position of the oldest element held.
    public var firstPosition: UInt64 { totalAppended - UInt64(storage.count) }
    /// Elements overwritten so far.
    public var overwritten: UInt64 { firstPosition }

    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[Int(totalAppended % UInt64(capacity))] = element
        }
        totalAppended += 1
    }

    public mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
        for e in elements { append(e) }
    }

    private func slot(_ position: UInt64) -> Int? {
        guard position >= firstPosition, position < totalAppended else { return nil }
        return Int(position % UInt64(capacity))
    }

    /// The element at an absolute position, nil when not held (overwritten or not yet appended).
    public subscript(position position: UInt64) -> Element? {
        guard let i = slot(position) else { return nil }
        return storage[i]
    }

    /// Changes the element at `position` in place if it is still held.
    @discardableResult
    public mutating func update(position: UInt64, _ body: (inout Element) -> Void) -> Bool {
        guard let i = slot(position) else { return false }
        body(&storage[i])
        return true
    }

    /// The newest element.
    public var last: Element? { totalAppended == 0 ? nil : self[position: totalAppended - 1] }

    /// All elements, oldest first.
    public var elements: [Element] {
        var out: [Element] = []
        out.reserveCapacity(storage.count)
        var p = firstPosition
        while p < totalAppended {
            out.append(storage[Int(p % UInt64(capacity))])
            p += 1
        }
        return out
    }

    /// Walks from the newest element back to the oldest, until `body` returns false.
    public func reverseForEach(from position: UInt64? = nil, _ body: (Element) -> Bool) {
        guard totalAppended > 0 else { return }
        var p = min(position ?? (totalAppended - 1), totalAppended - 1)
        let first = firstPosition
        guard p >= first else { return }
        while true {
            if !body(storage[Int(p % UInt64(capacity))]) { return }
            if p == first { return }
            p -= 1
        }
    }

    public mutating func removeAll() {
        storage = []
        totalAppended = 0
    }
}

extension SpyRing: Sendable where Element: Sendable {}
