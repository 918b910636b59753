import Foundation
import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// `NATSStreams.read`: a stream's stored messages in order, through an ephemeral pull consumer,
/// against a real nats-server with JetStream.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct StreamReadTests {
    /// A server with a stream `S` on `a.>` and `b.>` holding `count` messages (`a.x` odd, `b.y` even).
    static func withStream(count: Int, _ body: (NATSConnection, NATSStreams) async throws -> Void) async throws {
        let server = try TestServers.start(jetStream: true)
        let nc = try await TestServers.connect(server)
        let streams = try NATSStreams(nc)
        _ = try await streams.createOrUpdate(NATSStreamConfiguration(name: "S", subjects: ["a.>", "b.>"], maxAge: .seconds(3600)))
        for i in 0..<count { try nc.publish(i % 2 == 1 ? "a.x" : "b.y", payload: Data("m\(i)".utf8)) }
        try nc.flush()
        try await TestServers.waitUntil("the stream holds \(count) messages") {
            (try? await streams.info("S"))??.messages == UInt64(count)
        }
        do {
            try await body(nc, streams)
        } catch {
            nc.close()
            server.stop()
            throw error
        }
        nc.close()
        server.stop()
    }

    /// Collects what a read delivers.
    final class Collected: Sendable {
        let messages = Mutex<[NATSStoredMessage]>([])
        let batches = Mutex(0)
        var all: [NATSStoredMessage] { messages.withLock { $0 } }
    }

    @Test func readsEveryMessageInOrderInBatches() async throws {
        try await Self.withStream(count: 1000) { _, streams in
            let last = try #require(try await streams.info("S")).lastSequence
            let got = Collected()
            let n = try await streams.read("S", through: last, batchSize: 64) { batch in
                got.messages.withLock { $0 += batch }
                got.batches.withLock { $0 += 1 }
                return true
            }
            #expect(n == 1000)
            #expect(got.all.map(\.sequence) == Array(1...1000))
            #expect(got.all.map { String(decoding: $0.data, as: UTF8.self) } == (0..<1000).map { "m\($0)" })
            #expect(got.all.last?.pending == 0)
            #expect(got.batches.withLock { $0 } >= 1000 / 64)
        }
    }

    @Test func filterStartAndLastSequenceBoundTheRead() async throws {
        try await Self.withStream(count: 20) { nc, streams in
            let info = try #require(try await streams.info("S"))
            // Stored after the bound: left for a live subscription.
            for i in 20..<25 { try nc.publish("a.x", payload: Data("m\(i)".utf8)) }
            try nc.flush()
            let got = Collected()
            try await streams.read("S", filterSubject: "a.>", through: info.lastSequence) { batch in
                got.messages.withLock { $0 += batch }
                return true
            }
            #expect(got.all.map { String(decoding: $0.data, as: UTF8.self) } == stride(from: 1, to: 20, by: 2).map { "m\($0)" })
            #expect(got.all.allSatisfy { $0.subject == "a.x" })

            // From a time after everything: nothing, at once.
            let none = Collected()
            let clock = ContinuousClock()
            let started = clock.now
            let n = try await streams.read("S", from: Date().addingTimeInterval(60), through: info.lastSequence, fetchTimeout: .seconds(5)) { batch in
                none.messages.withLock { $0 += batch }
                return true
            }
            #expect(n == 0 && none.all.isEmpty)
            #expect(clock.now - started < .seconds(4), "an empty read does not wait for a fetch to time out")

            // Stopping early.
            let some = Collected()
            try await streams.read("S", through: info.lastSequence, batchSize: 4) { batch in
                some.messages.withLock { $0 += batch }
                return false
            }
            #expect(some.all.count == 4)
        }
    }

    @Test func aMissingStreamIsAnError() async throws {
        try await Self.withStream(count: 1) { _, streams in
            await #expect(throws: NATSError.self) {
                try await streams.read("NOPE", through: 10) { _ in true }
            }
        }
    }
}
