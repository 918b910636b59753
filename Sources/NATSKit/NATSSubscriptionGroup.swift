import CNATS
import Synchronization

/// Many subscriptions, one consumer: every subject added with `NATSConnection.subscribe(_:queue:into:)`
/// delivers into the group's one bounded buffer, so thousands of subjects (a simulator's hosts)
/// need neither a buffer nor a task each. Subjects are added and removed one by one; the server
/// sees a real subscription for each (a request to a removed one gets "no responders").
/// Use it on a connection with `globalMessageDelivery`, or cnats starts a thread per subject.
public final class NATSSubscriptionGroup: Sendable, AsyncSequence {
    public typealias Element = [NATSMessage]

    let buffer: MessageBatchBuffer
    private let handles = Mutex<[String: SubscriptionHandle]>([:])

    public init(bufferLimit: Int = 65_536) {
        buffer = MessageBatchBuffer(capacity: bufferLimit)
    }

    deinit {
        handles.withLock { all in
            for var h in all.values {
                h.unsubscribe()
                if let sub = h.sub { natsSubscription_Destroy(sub) }
            }
            all = [:]
        }
    }

    func add(_ subject: String, sub: OpaquePointer) {
        let replaced = handles.withLock { all -> SubscriptionHandle? in
            defer { all[subject] = SubscriptionHandle(sub: sub) }
            return all[subject]
        }
        if var old = replaced {
            old.unsubscribe()
            if let s = old.sub { natsSubscription_Destroy(s) }
        }
    }

    /// The subjects subscribed now.
    public var subjects: [String] { handles.withLock { Array($0.keys) } }

    public var count: Int { handles.withLock { $0.count } }

    /// Ends the subscription to `subject` (nothing when it is not in the group).
    public func unsubscribe(_ subject: String) {
        guard var h = handles.withLock({ $0.removeValue(forKey: subject) }) else { return }
        h.unsubscribe()
        if let sub = h.sub { natsSubscription_Destroy(sub) }
    }

    /// Ends every subscription; the consumer gets nil once the buffer is drained.
    public func unsubscribeAll() {
        let all = handles.withLock { all -> [SubscriptionHandle] in
            defer { all = [:] }
            return Array(all.values)
        }
        for var h in all {
            h.unsubscribe()
            if let sub = h.sub { natsSubscription_Destroy(sub) }
        }
        buffer.close()
    }

    /// The next batch (everything buffered, from any subject), or nil once the group has ended.
    public func nextBatch() async -> [NATSMessage]? {
        await buffer.next()
    }

    /// Messages lost because the consumer fell behind (the shared buffer was full).
    public var dropped: Int64 { buffer.dropped }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let group: NATSSubscriptionGroup
        public mutating func next() async -> [NATSMessage]? { await group.nextBatch() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(group: self) }
}

/// A grouped subscription's completion: cnats is done with the buffer, which stays open for the
/// group's other subjects.
let onGroupSubscriptionComplete: natsOnCompleteCB = { closure in
    guard let closure else { return }
    Unmanaged<MessageBatchBuffer>.fromOpaque(closure).release()
}
