import EmbeddedNATS
import Foundation
@testable import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// Requests by the thousand share one timer for their timeouts (and resends), and each still ends
/// on its own deadline; requests handed to a callback end exactly once. Real nats-server.
@Suite(.timeLimit(.minutes(1)))
struct RequestDeadlineTests {
    /// How a request ended, and when, from when it was sent.
    struct Ending: Sendable {
        var took: Duration
        var outcome: Result<String, NATSError>
    }

    /// A server, a connection that requests and one that answers; the closure closes all three.
    static func connections() async throws -> (NATSConnection, NATSConnection, () -> Void) {
        let server = try TestServers.start()
        let nc = try await TestServers.connect(server)
        let other = try await TestServers.connect(server)
        return (nc, other, {
            other.close()
            nc.close()
            server.stop()
        })
    }

    final class Endings: Sendable {
        private let endings = Mutex<[Int: [Ending]]>([:])
        private let sent = Mutex<[Int: ContinuousClock.Instant]>([:])

        func send(_ i: Int) { sent.withLock { $0[i] = .now } }

        func end(_ i: Int, _ result: Result<NATSMessage, NATSError>) {
            let at = ContinuousClock.now
            let took = at - (sent.withLock { $0[i] } ?? at)
            endings.withLock { $0[i, default: []].append(Ending(took: took, outcome: result.map { $0.text })) }
        }

        var all: [Int: [Ending]] { endings.withLock { $0 } }
        var count: Int { endings.withLock { $0.values.reduce(0) { $0 + $1.count } } }
    }

    /// 1 000 silent requests with a long timeout, then 1 000 with a short one (due earlier,
    /// though added later), 1 000 answered ones, and 200 awaited ones: one timer for them all,
    /// every silent one timed out no earlier than its timeout and the short ones long before the
    /// long ones' deadline; every answered one answered, every callback called once.
    @Test func thousandsOfRequestsShareOneTimerAndEachTimesOutOnItsOwnDeadline() async throws {
        let (nc, other, done) = try await Self.connections()
        defer { done() }
        let silent = try Responder(other, subject: "svc.silent") { _ in nil }
        defer { silent.stop() }
        let echo = try Responder(other, subject: "svc.echo") { Data("re:".utf8) + $0.data }
        defer { echo.stop() }

        let long = Duration.seconds(4), short = Duration.milliseconds(400)
        let endings = Endings()
        func send(_ i: Int, _ subject: String, timeout: Duration) throws {
            endings.send(i)
            try nc.request(subject, payload: Data("\(i)".utf8), timeout: timeout) { endings.end(i, $0) }
        }
        for i in 0..<1_000 { try send(i, "svc.silent", timeout: long) }
        for i in 1_000..<2_000 { try send(i, "svc.silent", timeout: short) }
        for i in 2_000..<3_000 { try send(i, "svc.echo", timeout: long) }
        let started = ContinuousClock.now
        let awaited = await withTaskGroup(of: (ErrorKind, Duration).self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let t0 = ContinuousClock.now
                    let error = await requestError(nc, "svc.silent", timeout: short)
                    return (kind(error), ContinuousClock.now - t0)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        try await TestServers.waitUntil("every callback request ended", timeout: .seconds(30)) { endings.count >= 3_000 }

        let all = endings.all
        #expect(all.count == 3_000)
        #expect(all.values.allSatisfy { $0.count == 1 }, "a callback called more than once")
        let shortTook = (1_000..<2_000).compactMap { all[$0]?.first?.took }
        let longTook = (0..<1_000).compactMap { all[$0]?.first?.took }
        #expect((0..<2_000).allSatisfy { i in if case .failure(.timeout)? = all[i]?.first?.outcome { true } else { false } })
        #expect(shortTook.allSatisfy { $0 >= short }, "\(shortTook.min() ?? .zero)")
        // Due before the long ones though added after them: not held until the earlier-armed deadline.
        #expect(shortTook.allSatisfy { $0 < long - .milliseconds(500) }, "\(shortTook.max() ?? .zero)")
        #expect(longTook.allSatisfy { $0 >= long }, "\(longTook.min() ?? .zero)")
        #expect(awaited.allSatisfy { $0.0 == .timeout && $0.1 >= short && $0.1 < long }, "\(awaited.map(\.1).max() ?? .zero)")
        #expect((2_000..<3_000).allSatisfy { i in (try? all[i]?.first?.outcome.get()) == "re:\(i)" })
        #expect(ContinuousClock.now - started < .seconds(20))
        // One timer for 3 200 requests; nothing left waiting.
        #expect(nc.requestTimersMade == 1)
        #expect(nc.requestsInFlight.requests == 0)
    }

    /// A callback request sent again after its timeout (`resends`): a reply to either send ends
    /// it once; unanswered, it times out after every send's wait, having been sent that often.
    @Test func aCallbackRequestIsResentAndEndsOnce() async throws {
        let (nc, other, done) = try await Self.connections()
        defer { done() }
        let seen = Mutex(0)
        // Answers only the second send.
        let second = try Responder(other, subject: "svc.second") { _ in
            seen.withLock { $0 += 1; return $0 } == 2 ? Data("second".utf8) : nil
        }
        defer { second.stop() }
        let silent = try Responder(other, subject: "svc.silent") { _ in nil }
        defer { silent.stop() }

        let endings = Endings()
        endings.send(0)
        try nc.request("svc.second", timeout: .milliseconds(400), resends: 2) { endings.end(0, $0) }
        endings.send(1)
        try nc.request("svc.silent", timeout: .milliseconds(300), resends: 1) { endings.end(1, $0) }
        try await TestServers.waitUntil("both ended", timeout: .seconds(10)) { endings.count >= 2 }
        // Time for a wrong second call or a third send to show.
        try await TestServers.waitUntil("the silent one was sent twice", timeout: .seconds(5)) { silent.subscription.delivered == 2 }
        let all = endings.all
        #expect(try all[0]?.first?.outcome.get() == "second")
        #expect(all[0]?.first.map { $0.took >= .milliseconds(400) } == true)
        guard case .failure(.timeout)? = all[1]?.first?.outcome else {
            Issue.record("\(String(describing: all[1]))")
            return
        }
        #expect(all[1]?.first.map { $0.took >= .milliseconds(600) } == true, "\(String(describing: all[1]?.first?.took))")
        #expect(all.values.allSatisfy { $0.count == 1 })
        #expect(seen.withLock { $0 } == 2)
        #expect(nc.requestTimersMade == 1)
    }

    /// Nobody listening is "no responders" at once, through the callback too.
    @Test func aCallbackRequestToNobodyIsNoResponders() async throws {
        let (nc, _, done) = try await Self.connections()
        defer { done() }
        let endings = Endings()
        endings.send(0)
        try nc.request("svc.nobody", timeout: .seconds(10)) { endings.end(0, $0) }
        try await TestServers.waitUntil("it ended", timeout: .seconds(5)) { endings.count >= 1 }
        guard case .failure(let error)? = endings.all[0]?.first?.outcome else { Issue.record("answered?"); return }
        #expect(error == .noResponders(subject: "svc.nobody"))
    }
}
