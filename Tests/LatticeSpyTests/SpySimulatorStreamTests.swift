import Foundation
import LatticeSpy
import Testing

/// The simulator's wRPC traffic has what a real host's has (multi-message results, the empty
/// close of every stream, bare functions) and the spy pairs all of it.
@Suite(.serialized) struct SpySimulatorStreamTests {
    @Test func closesChunksAndBareFunctionsArePaired() async throws {
        let f = try await SpySimulatorTests.Fixture.start()
        let session = SpySession(client: f.client, scope: .lattice)
        try await session.start()
        let capture = session.capture
        // Enough calls that some have two result messages and some go to a bare function.
        let enough = await eventually(timeout: .seconds(20)) {
            let m = capture.snapshot(limit: 100_000).messages
            return m.contains { $0.kind == .invocation && $0.instance.isEmpty && $0.outcome == .ok }
                && m.contains { $0.kind == .results && $0.size > 4 }
        }
        await f.simulator.stop()
        // Let the last replies in flight arrive and every reply window pass.
        try await Task.sleep(for: .milliseconds(500))
        capture.expire(now: .now + .seconds(60))
        await session.stop()
        await f.stop()
        #expect(enough, "\(capture.counters)")
        let messages = capture.snapshot(limit: 100_000).messages
        let bare = try #require(messages.first { $0.kind == .invocation && $0.instance.isEmpty })
        #expect(bare.operation == "hello")
        // Two result messages of 4 and 13 bytes are one results message of 17.
        #expect(messages.contains { $0.kind == .results && $0.size == 17 })
        #expect(!messages.contains { $0.kind == .results && $0.size == 0 })
        #expect(capture.counters.unmatchedReplies == 0, "\(capture.counters)")
        #expect(capture.counters.malformed == 0)
    }
}
