import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Publishing and subscribing against a real nats-server: headers, queue groups, batching and
/// the bounded buffer's drops.
@Suite(.timeLimit(.minutes(1)))
struct PublishSubscribeTests {
    @Test func roundTripWithHeadersReplyAndBinaryPayload() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let sub = try nc.subscribe("greet.*")
        try nc.flush()

        let binary = Data([0, 1, 2, 0xff, 0x0a, 0x0d, 0])
        try nc.publish("greet.one", payload: binary, reply: "answer.here",
                       headers: ["source-id": "comp-a", "Link-Name": "default", "note": "two words"])
        try nc.publish("other.subject", payload: Data("not for us"))
        try nc.publish("greet.two")
        let got = await sub.awaitMessages(2, within: .seconds(5))

        #expect(got.map(\.subject) == ["greet.one", "greet.two"])
        let first = try #require(got.first)
        #expect(first.data == binary)
        #expect(first.payloadCount == 7)
        #expect(first.reply == "answer.here")
        #expect(first.header("source-id") == "comp-a")
        #expect(first.header("Link-Name") == "default")
        #expect(first.headers == ["source-id": ["comp-a"], "Link-Name": ["default"], "note": ["two words"]])
        #expect(first.header("missing") == nil)
        #expect(first.isNoResponders == false)
        let second = try #require(got.last)
        #expect(second.data.isEmpty)
        #expect(second.reply == nil)
        #expect(second.headers.isEmpty)
        #expect(sub.delivered == 2)
        #expect(sub.dropped == 0)
    }

    @Test func connectionFactsWhileConnected() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        #expect(nc.state == .connected(server: server.url))
        #expect(nc.connectedServer == server.url)
        #expect(nc.reconnectCount == 0)
        #expect(nc.isClosed == false)
        #expect(nc.maxPayload == 1_048_576)
        let rtt = try #require(nc.rtt())
        #expect(rtt > .zero && rtt < .seconds(2))
        #expect(nc.newInbox().hasPrefix("_INBOX."))
        #expect(nc.newInbox() != nc.newInbox())
    }

    @Test func queueGroupMembersShareTheMessages() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let a = try nc.subscribe("work", queue: "workers")
        let b = try nc.subscribe("work", queue: "workers")
        let all = try nc.subscribe("work")
        try nc.flush()
        let total = 400
        for i in 0..<total { try nc.publish("work", payload: Data("\(i)")) }
        try nc.flush()
        try await TestServers.waitUntil("every message is buffered") { a.pending + b.pending == total && all.pending == total }
        let fromA = await a.takePending().map(\.text)
        let fromB = await b.takePending().map(\.text)
        #expect(fromA.count + fromB.count == total)
        #expect(Set(fromA).isDisjoint(with: fromB))
        #expect(Set(fromA + fromB) == Set((0..<total).map(String.init)))
        #expect(!fromA.isEmpty && !fromB.isEmpty, "a: \(fromA.count), b: \(fromB.count)")
        #expect(await all.takePending().count == total)
    }

    @Test func unsubscribeEndsTheSubscription() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let sub = try nc.subscribe("stop.me")
        try nc.flush()
        try nc.publish("stop.me", payload: Data("before"))
        #expect(await sub.awaitBatch(within: .seconds(5))?.map(\.text) == ["before"])
        #expect(sub.isActive)

        let waiting = Task { await sub.nextBatch() }
        sub.unsubscribe()
        #expect(await waiting.value == nil)
        #expect(sub.isActive == false)
        try nc.publish("stop.me", payload: Data("after"))
        try nc.flush()
        #expect(await sub.nextBatch() == nil)
        #expect(sub.delivered == 1)
    }

    @Test func messagesBufferedMeanwhileComeAsOneBatch() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let sub = try nc.subscribe("bulk", bufferLimit: 100_000)
        try nc.flush()
        let total = 10_000
        for i in 0..<total { try nc.publish("bulk", payload: Data("\(i)")) }
        try nc.flush()
        try await TestServers.waitUntil("all \(total) are buffered (now \(sub.pending))") { sub.pending == total }

        let batch = try #require(await sub.nextBatch())
        #expect(batch.count == total)
        #expect(batch.map(\.text) == (0..<total).map(String.init))
        #expect(sub.pending == 0)
        #expect(sub.delivered == Int64(total))
        #expect(sub.dropped == 0)
    }

    @Test func aConsumerRunningAlongTheFloodTakesFewerBatchesThanMessages() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let sub = try nc.subscribe("bulk", bufferLimit: 100_000)
        try nc.flush()
        let total = 10_000
        let consumer = Task { () -> (messages: Int, batches: Int, ordered: Bool) in
            var messages = 0, batches = 0, next = 0, ordered = true
            while messages < total, let batch = await sub.nextBatch() {
                batches += 1
                for m in batch {
                    if m.text != String(next) { ordered = false }
                    next += 1
                }
                messages += batch.count
            }
            return (messages, batches, ordered)
        }
        for i in 0..<total { try nc.publish("bulk", payload: Data("\(i)")) }
        try nc.flush()
        let timeout = Task {
            try await Task.sleep(for: .seconds(20))
            sub.unsubscribe()
        }
        let result = await consumer.value
        timeout.cancel()
        #expect(result.messages == total)
        #expect(result.ordered)
        #expect(result.batches < total, "\(result.batches) batches for \(total) messages")
        #expect(sub.delivered == Int64(total))
        #expect(sub.dropped == 0)
    }

    @Test func aFullBufferKeepsTheOldestAndCountsWhatItDrops() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let limit = 100
        let sub = try nc.subscribe("flood", bufferLimit: limit)
        try nc.flush()
        let total = 5_000
        for i in 0..<total { try nc.publish("flood", payload: Data("\(i)")) }
        try nc.flush()
        // Nobody consumes while the flood arrives; wait until every message is accounted for.
        try await TestServers.waitUntil("all accounted for (pending \(sub.pending), dropped \(sub.dropped))") {
            Int64(sub.pending) + sub.dropped == Int64(total)
        }
        #expect(sub.pending == limit)
        #expect(sub.dropped == Int64(total - limit))
        let kept = await sub.takePending()
        #expect(kept.map(\.text) == (0..<limit).map(String.init))
        #expect(sub.delivered + sub.dropped == Int64(total))

        // There is room again.
        try nc.publish("flood", payload: Data("later"))
        #expect(await sub.awaitBatch(within: .seconds(5))?.map(\.text) == ["later"])
        #expect(sub.dropped == Int64(total - limit))
    }

    @Test func aSlowConsumerLosesMessagesButEveryOneIsCounted() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let limit = 50
        let sub = try nc.subscribe("flood", bufferLimit: limit)
        try nc.flush()
        let consumer = Task { () -> (messages: Int, largestBatch: Int) in
            var messages = 0, largest = 0
            for await batch in sub {
                messages += batch.count
                largest = max(largest, batch.count)
                try? await Task.sleep(for: .milliseconds(20))  // slow work per batch
            }
            return (messages, largest)
        }
        let total = 5_000
        for i in 0..<total { try nc.publish("flood", payload: Data("\(i)")) }
        try nc.flush()
        try await TestServers.waitUntil("all accounted for (delivered \(sub.delivered), dropped \(sub.dropped))", timeout: .seconds(20)) {
            sub.delivered + sub.dropped == Int64(total) && sub.pending == 0
        }
        sub.unsubscribe()
        let result = await consumer.value
        #expect(sub.dropped > 0)
        #expect(result.messages == Int(sub.delivered))
        #expect(Int64(result.messages) + sub.dropped == Int64(total))
        #expect(result.largestBatch <= limit)
    }
}
