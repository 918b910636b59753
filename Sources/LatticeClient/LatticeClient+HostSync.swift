import Foundation
import LatticeProtocol
import NATSKit
import Synchronization

/// One step of a host sync (`LatticeClient.hostSync()`).
public enum HostSyncEvent: Sendable, Equatable {
    /// A host answered the ping.
    case pinged(HostInfo)
    /// A ping reply that could not be used (malformed, or refused).
    case pingFailed(LatticeClientError)
    /// A host's `host.get` answered.
    case inventory(HostInventory)
    /// A host's `host.get` failed (timed out twice, refused, malformed, …).
    case inventoryFailed(hostID: String, LatticeClientError)
}

extension LatticeClient {
    /// `host.ping`, then a `host.get` per host as its ping reply arrives (asked once more after a
    /// timeout, to the same reply subject: `inventoryAskingAgainAfterTimeout`), all at once, in
    /// batches: the ping replies as they arrived together, decoded together, each batch before the
    /// `host.get`s it leads to; then the inventories in the batches they arrived in, decoded
    /// together. Nothing a host but its request: no task, timer or subscription each (the
    /// `host.get`s go out from the reader of the ping's batches, their replies are routed on the
    /// cnats thread into one collector, and one reader decodes them). Ends once the ping window
    /// has closed and every `host.get` has ended.
    public func hostSync() throws(LatticeClientError) -> AsyncStream<[HostSyncEvent]> {
        let pingSubject = subjects.hostPing
        let pings: AsyncStream<[NATSMessage]>
        do {
            pings = try connection.scatterGatherBatches(pingSubject, window: gatherWindow)
        } catch {
            throw LatticeClientError.from(error, subject: pingSubject)
        }
        let replies = InventoryReplies()
        let client = self
        return AsyncStream { continuation in
            let asking = Task {
                for await batch in pings {
                    var events: [HostSyncEvent] = []
                    events.reserveCapacity(batch.count)
                    var hosts: [String] = []
                    hosts.reserveCapacity(batch.count)
                    for message in batch {
                        do throws(LatticeClientError) {
                            let r = try Self.interpret(message, subject: pingSubject, decode: HostReplyDecoder.ping)
                            guard let host = r.response else {
                                events.append(.pingFailed(.refused(subject: pingSubject, message: r.message)))
                                continue
                            }
                            events.append(.pinged(host))
                            hosts.append(host.id)
                        } catch {
                            events.append(.pingFailed(error))
                        }
                    }
                    // The pings before the inventories they ask for.
                    continuation.yield(events)
                    var unsent: [HostSyncEvent] = []
                    for id in hosts {
                        if let error = client.askInventory(hostID: id, into: replies) {
                            unsent.append(.inventoryFailed(hostID: id, error))
                        }
                    }
                    if !unsent.isEmpty { continuation.yield(unsent) }
                }
                replies.pingsEnded()
            }
            let reading = Task {
                while let batch = await replies.next() {
                    continuation.yield(batch.map { client.read($0) })
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                asking.cancel()
                reading.cancel()
                replies.cancel()
            }
        }
    }

    /// Sends `host.get` for `hostID` with its outcome going to `replies`; the error when it could
    /// not be sent (then nothing goes to `replies`).
    private func askInventory(hostID: String, into replies: InventoryReplies) -> LatticeClientError? {
        do throws(LatticeClientError) {
            try validate(hostID, "host ID")
        } catch {
            return error
        }
        let subject = subjects.hostGet(hostID: hostID)
        replies.expect()
        do {
            try connection.request(subject, timeout: timeout, resends: 1) { result in
                replies.deliver(InventoryReply(hostID: hostID, result: result))
            }
        } catch {
            replies.unexpect()
            return .from(error, subject: subject)
        }
        return nil
    }

    /// A `host.get` outcome as `inventory(hostID:)` reads it.
    private func read(_ reply: InventoryReply) -> HostSyncEvent {
        let subject = subjects.hostGet(hostID: reply.hostID)
        switch reply.result {
        case .failure(let error):
            return .inventoryFailed(hostID: reply.hostID, .from(error, subject: subject))
        case .success(let message):
            do throws(LatticeClientError) {
                let r = try Self.interpret(message, subject: subject, decode: HostReplyDecoder.inventory)
                guard let inventory = r.response else {
                    throw .malformedReply(subject: subject, detail: "no inventory in the reply")
                }
                return .inventory(inventory)
            } catch {
                return .inventoryFailed(hostID: reply.hostID, error)
            }
        }
    }

    /// `interpret` of a message's payload, read where it is (not copied out).
    static func interpret<T: Sendable & Equatable & Codable>(
        _ message: NATSMessage, subject: String, decode: (Data) throws -> CtlResponse<T>
    ) throws(LatticeClientError) -> CtlResponse<T> {
        let decoded: Result<CtlResponse<T>, any Error> = message.withPayload { bytes in Result { try decode(borrowing(bytes)) } }
        return try interpret(Data(), subject: subject) { _ in try decoded.get() }
    }

    /// The bytes as `Data` without copying them; valid only while `bytes` is.
    private static func borrowing(_ bytes: UnsafeRawBufferPointer) -> Data {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return Data() }
        return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
    }
}

/// A `host.get`'s outcome, as the connection handed it over.
struct InventoryReply: Sendable {
    let hostID: String
    let result: Result<NATSMessage, NATSError>
}

/// Where a host sync's `host.get` outcomes wait for their reader: appended under a lock on the
/// thread that ends the request (cnats' delivery thread, or the requests' timer), taken all at
/// once. Knows how many are still out, so the reader learns when the last one came.
final class InventoryReplies: Sendable {
    private struct State {
        var items: [InventoryReply] = []
        var outstanding = 0
        var pingsEnded = false
        /// The reader went away: what still arrives is let go.
        var cancelled = false
        var waiter: CheckedContinuation<[InventoryReply]?, Never>?
        var isDone: Bool { pingsEnded && outstanding == 0 && items.isEmpty }

        mutating func take() -> CheckedContinuation<[InventoryReply]?, Never>? {
            defer { waiter = nil }
            return waiter
        }
    }

    private let state = Mutex(State())

    /// One more request is out.
    func expect() {
        state.withLock { $0.outstanding += 1 }
    }

    /// The request counted by `expect` was not sent after all.
    func unexpect() {
        let wake = state.withLock { s -> CheckedContinuation<[InventoryReply]?, Never>? in
            s.outstanding -= 1
            return s.isDone ? s.take() : nil
        }
        wake?.resume(returning: nil)
    }

    func deliver(_ reply: InventoryReply) {
        let wake = state.withLock { s -> CheckedContinuation<[InventoryReply]?, Never>? in
            s.outstanding -= 1
            guard let w = s.take() else {
                if !s.cancelled { s.items.append(reply) }
                return nil
            }
            return w
        }
        wake?.resume(returning: [reply])
    }

    /// No more requests will be added.
    func pingsEnded() {
        let wake = state.withLock { s -> CheckedContinuation<[InventoryReply]?, Never>? in
            s.pingsEnded = true
            return s.isDone ? s.take() : nil
        }
        wake?.resume(returning: nil)
    }

    /// The reader went away: nothing more is kept.
    func cancel() {
        let wake = state.withLock { s -> CheckedContinuation<[InventoryReply]?, Never>? in
            s.cancelled = true
            s.items = []
            return s.take()
        }
        wake?.resume(returning: nil)
    }

    /// Everything that arrived, waiting if nothing has; nil once all arrived and were taken, or
    /// when the reader is cancelled.
    func next() async -> [InventoryReply]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<[InventoryReply]?, Never>) in
                let ready: [InventoryReply]?? = state.withLock { s in
                    if !s.items.isEmpty {
                        defer { s.items = [] }
                        return .some(s.items)
                    }
                    if s.isDone || s.cancelled || Task.isCancelled { return .some(nil) }
                    s.waiter = c
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            cancel()
        }
    }
}
