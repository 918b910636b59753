import Synchronization

/// The bounded hand-over between a spy subscription's decoding task and its ingesting task, so
/// that decoding the next batch overlaps with applying the previous one (two cores). The
/// producer waits while `limit` batches are queued (the subscription's own buffer then fills
/// and counts what it drops), so nothing is lost here.
final class DecodedHandoff: Sendable {
    private struct State {
        var queue: [SpyDecodedBatch] = []
        var consumer: CheckedContinuation<SpyDecodedBatch?, Never>?
        var producer: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Queues a batch, waiting while the queue is full.
    func push(_ batch: SpyDecodedBatch) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let (wake, full) = state.withLock { s -> (CheckedContinuation<SpyDecodedBatch?, Never>?, Bool) in
                if let waiting = s.consumer {
                    s.consumer = nil
                    return (waiting, false)
                }
                s.queue.append(batch)
                if s.queue.count >= limit && !s.closed {
                    s.producer = c
                    return (nil, true)
                }
                return (nil, false)
            }
            if let wake { wake.resume(returning: batch) }
            if !full { c.resume() }
        }
    }

    /// The next batch, waiting for one; nil once closed and drained.
    func next() async -> SpyDecodedBatch? {
        await withCheckedContinuation { (c: CheckedContinuation<SpyDecodedBatch?, Never>) in
            let (ready, producer) = state.withLock { s -> (SpyDecodedBatch??, CheckedContinuation<Void, Never>?) in
                if !s.queue.isEmpty {
                    let batch = s.queue.removeFirst()
                    let p = s.producer
                    s.producer = nil
                    return (.some(batch), p)
                }
                if s.closed { return (.some(nil), nil) }
                s.consumer = c
                return (nil, nil)
            }
            producer?.resume()
            if let ready { c.resume(returning: ready) }
        }
    }

    /// No more batches: the consumer gets nil once the queue is drained.
    func close() {
        let (consumer, producer) = state.withLock { s -> (CheckedContinuation<SpyDecodedBatch?, Never>?, CheckedContinuation<Void, Never>?) in
            s.closed = true
            defer {
                s.consumer = nil
                s.producer = nil
            }
            return (s.queue.isEmpty ? s.consumer : nil, s.producer)
        }
        consumer?.resume(returning: nil)
        producer?.resume()
    }
}
