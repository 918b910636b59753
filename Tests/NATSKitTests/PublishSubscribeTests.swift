import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// NATSKit against a real nats-server: messages, batching, drops, request/reply, scatter-gather.
@Suite(.timeLimit(.minutes(1)))
struct PublishSubscribeTests {
    @Test func roundTripWithHeadersAndReply() async throws {
        let server = try NATSServerProcess()
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options([server.url]))
        defer { nc.close() }
        let sub = try nc.subscribe("greet.*")
        try nc.flush()
        try nc.publish("greet.one", payload: Data("hello".utf8), reply: "answer.here", headers: ["source-id": "comp-a", "link-name": "x"])
        let batch = try #require(await sub.nextBatch())
        let m = try #require(batch.first)
        #expect(m.subject == "greet.one")
        #expect(m.reply == "answer.here")
        #expect(String(decoding: m.data, as: UTF8.self) == "hello")
        #expect(m.header("source-id") == "comp-a")
        #expect(m.headers["link-name"] == ["x"])
        #expect(m.isNoResponders == false)
        #expect(nc.state.isConnected)
        #expect(nc.rtt() != nil)
        #expect(nc.connectedServer?.contains(String(server.port)) == true)
    }

    @Test func messagesArriveInBatchesAndAllAreCounted() async throws {
        let server = try NATSServerProcess()
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options([server.url]))
        defer { nc.close() }
        let sub = try nc.subscribe("bulk", bufferLimit: 100_000)
        try nc.flush()
        let total = 20_000
        for i in 0..<total { try nc.publish("bulk", payload: Data("\(i)".utf8)) }
        try nc.flush()
        var received = 0, batches = 0
        var last = -1, ordered = true
        while received < total, let batch = await sub.nextBatch() {
            batches += 1
            for m in batch {
                let n = Int(String(decoding: m.data, as: UTF8.self)) ?? -2
                if n != last + 1 { ordered = false }
                last = n
            }
            received += batch.count
        }
        #expect(received == total)
        #expect(ordered)
        #expect(batches < total / 10, "batches: \(batches)")
        #expect(sub.dropped == 0)
        #expect(sub.delivered == Int64(total))
    }

    @Test func aFullBufferDropsAndCountsWhatItDrops() async throws {
        let server = try NATSServerProcess()
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options([server.url]))
        defer { nc.close() }
        let sub = try nc.subscribe("flood", bufferLimit: 100)
        try nc.flush()
        let total = 50_000
        let payload = Data(repeating: 0x41, count: 32)
        for _ in 0..<total { try nc.publish("flood", payload: payload) }
        try nc.flush()
        // Nobody consumes while the flood arrives; wait until every message is accounted for.
        #expect(await TestServers.eventually { sub.dropped + 100 >= Int64(total) })
        var delivered = 0
        while let batch = await firstBatch(sub, within: .milliseconds(300)) { delivered += batch.count }
        #expect(delivered == 100)
        #expect(sub.dropped > 0)
        #expect(Int64(delivered) + sub.dropped == Int64(total))
    }

    @Test func requestReplyAndTheDistinctFailures() async throws {
        let server = try NATSServerProcess()
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options([server.url]))
        defer { nc.close() }
        let responder = try nc.subscribe("svc.echo")
        try nc.flush()
        let task = Task {
            for await batch in responder {
                for m in batch { if let r = m.reply { try? nc.publish(r, payload: Data("re:".utf8) + m.data) } }
            }
        }
        defer { task.cancel(); responder.unsubscribe() }
        let reply = try await nc.request("svc.echo", payload: Data("ping".utf8), timeout: .seconds(2))
        #expect(String(decoding: reply.data, as: UTF8.self) == "re:ping")

        await #expect(throws: NATSError.noResponders(subject: "svc.nobody")) {
            try await nc.request("svc.nobody", timeout: .seconds(2))
        }

        let silent = try nc.subscribe("svc.silent")
        try nc.flush()
        defer { silent.unsubscribe() }
        let started = ContinuousClock.now
        await #expect(throws: NATSError.timeout) { try await nc.request("svc.silent", timeout: .milliseconds(250)) }
        let took = ContinuousClock.now - started
        #expect(took >= .milliseconds(200) && took < .seconds(3))
    }

    @Test func scatterGatherEndsAtTheExpectedCountOrTheWindow() async throws {
        let server = try NATSServerProcess()
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options([server.url]))
        defer { nc.close() }
        var tasks: [Task<Void, Never>] = []
        var subs: [NATSSubscription] = []
        for i in 0..<3 {
            let sub = try nc.subscribe("who.is.there")
            subs.append(sub)
            tasks.append(Task {
                for await batch in sub { for m in batch { if let r = m.reply { try? nc.publish(r, payload: Data("host-\(i)".utf8)) } } }
            })
        }
        try nc.flush()
        defer { tasks.forEach { $0.cancel() }; subs.forEach { $0.unsubscribe() } }

        var answers: [String] = []
        let started = ContinuousClock.now
        for await m in try nc.scatterGather("who.is.there", window: .seconds(5), expected: 3) {
            answers.append(String(decoding: m.data, as: UTF8.self))
        }
        #expect(answers.sorted() == ["host-0", "host-1", "host-2"])
        #expect(ContinuousClock.now - started < .seconds(4))

        var windowed = 0
        let windowStart = ContinuousClock.now
        for await _ in try nc.scatterGather("who.is.there", window: .milliseconds(400)) { windowed += 1 }
        let elapsed = ContinuousClock.now - windowStart
        #expect(windowed == 3)
        #expect(elapsed >= .milliseconds(350) && elapsed < .seconds(3))

        var none = 0
        for await _ in try nc.scatterGather("nobody.home", window: .seconds(3)) { none += 1 }
        #expect(none == 0)
    }
}

/// The next batch, or nil if none arrives within `timeout`.
func firstBatch(_ sub: NATSSubscription, within timeout: Duration) async -> [NATSMessage]? {
    await withTaskGroup(of: [NATSMessage]?.self) { group in
        group.addTask { await sub.nextBatch() }
        group.addTask { try? await Task.sleep(for: timeout); return nil }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
