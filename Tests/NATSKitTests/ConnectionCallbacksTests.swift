import Foundation
import Synchronization
import Testing
@testable import NATSKit

/// The connection-state listeners against the threads that feed and end them: cnats' callback
/// threads publish states while the dashboard cancels the tasks that read them.
@Suite(.timeLimit(.minutes(1)))
struct ConnectionCallbacksTests {
    /// Before: `handle` yielded under its lock (yielding takes the reading task's lock) while a
    /// cancelled reader's termination handler, run under that task's lock, took the same lock:
    /// each thread waited on the other's lock for ever (`LatticeMonitor.stop` hung on close).
    @Test func readersCancelledWhileStatesArriveNeverDeadlock() async throws {
        let callbacks = ConnectionCallbacks(options: NATSConnectionOptions(), nkey: nil, jwt: nil)
        let rounds = 3_000
        let published = Atomic(0), cancelled = Atomic(0), publisherDone = Atomic(false)
        // States are published for as long as readers are being cancelled.
        Thread {
            var i = 0
            while cancelled.load(ordering: .relaxed) < rounds {
                callbacks.handle(i % 2 == 0 ? .waiting(attempt: i) : .connected(server: "nats://a", isReconnect: true))
                published.add(1, ordering: .relaxed)
                i += 1
            }
            publisherDone.store(true, ordering: .relaxed)
        }.start()
        Thread {
            for _ in 0..<rounds {
                let stream = callbacks.stream()
                let reader = Task { for await _ in stream {} }
                // A few states while the reader waits in `next()` (where a cancellation runs the
                // termination handler), then cancelled while more arrive.
                let before = published.load(ordering: .relaxed)
                while published.load(ordering: .relaxed) < before + 3 { sched_yield() }
                reader.cancel()
                cancelled.add(1, ordering: .relaxed)
            }
        }.start()
        let deadline = ContinuousClock.now + .seconds(40)
        while !publisherDone.load(ordering: .relaxed) {
            guard ContinuousClock.now < deadline else {
                Issue.record("stuck: \(published.load(ordering: .relaxed)) states published, \(cancelled.load(ordering: .relaxed)) of \(rounds) readers cancelled")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Ended readers are dropped, not kept for ever.
        callbacks.handle(.waiting(attempt: 1))
        #expect(callbacks.listenerCount < rounds, "listeners kept: \(callbacks.listenerCount)")
    }
}
