import DequeModule

/// A fixed-capacity FIFO: appending to a full buffer drops the oldest element.
public struct RingBuffer<Element: Sendable>: Sendable {
    public let capacity: Int
    private var storage: Deque<Element> = []
    /// Everything ever appended, including what was dropped.
    public private(set) var totalAppended = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(min(self.capacity, 1024))
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public mutating func append(_ element: Element) {
        totalAppended += 1
        if storage.count == capacity { storage.removeFirst() }
        storage.append(element)
    }

    /// Oldest first.
    public var elements: [Element] { Array(storage) }

    /// The newest element.
    public var last: Element? { storage.last }

    /// Up to `n` elements, newest first.
    public func newest(_ n: Int) -> [Element] { Array(storage.suffix(max(0, n)).reversed()) }
}

extension RingBuffer: Equatable where Element: Equatable {
    public static func == (lhs: RingBuffer, rhs: RingBuffer) -> Bool {
        lhs.capacity == rhs.capacity && lhs.totalAppended == rhs.totalAppended && lhs.storage == rhs.storage
    }
}
