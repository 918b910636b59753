/// A fixed-capacity FIFO: appending to a full buffer overwrites the oldest element.
public struct RingBuffer<Element: Sendable>: Sendable {
    public let capacity: Int
    private var storage: [Element] = []
    private var head = 0
    /// Everything ever appended, including what was overwritten.
    public private(set) var totalAppended = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(min(self.capacity, 1024))
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public mutating func append(_ element: Element) {
        totalAppended += 1
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head = (head + 1) % capacity
        }
    }

    /// Oldest first.
    public var elements: [Element] {
        head == 0 ? storage : Array(storage[head...] + storage[..<head])
    }

    /// The newest element.
    public var last: Element? {
        guard !storage.isEmpty else { return nil }
        return storage[(head + storage.count - 1) % storage.count]
    }

    /// Up to `n` elements, newest first.
    public func newest(_ n: Int) -> [Element] {
        let k = min(n, storage.count)
        return (0..<k).map { storage[(head + storage.count - 1 - $0) % storage.count] }
    }
}

extension RingBuffer: Equatable where Element: Equatable {
    public static func == (lhs: RingBuffer, rhs: RingBuffer) -> Bool {
        lhs.capacity == rhs.capacity && lhs.totalAppended == rhs.totalAppended && lhs.elements == rhs.elements
    }
}
