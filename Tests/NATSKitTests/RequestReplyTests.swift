import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// Request/reply with its distinct failures, and scatter-gather, against a real nats-server.
@Suite(.timeLimit(.minutes(1)))
struct RequestReplyTests {
    @Test func requestIsAnsweredWithPayloadAndHeaders() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let responder = try nc.subscribe("svc.echo")
        try nc.flush()
        let task = Task {
            for await batch in responder {
                for m in batch {
                    guard let r = m.reply else { continue }
                    try? nc.publish(r, payload: Data("re:") + m.data, headers: ["trace": m.header("trace") ?? "none"])
                }
            }
        }
        defer { task.cancel(); responder.unsubscribe() }

        let reply = try await nc.request("svc.echo", payload: Data("ping"), headers: ["trace": "t-42"], timeout: .seconds(5))
        #expect(reply.text == "re:ping")
        #expect(reply.header("trace") == "t-42")
        #expect(reply.subject.hasPrefix("_INBOX."))
        // Many requests in a row each get their own answer.
        for i in 0..<20 {
            #expect(try await nc.request("svc.echo", payload: Data("\(i)"), timeout: .seconds(5)).text == "re:\(i)")
        }
    }

    /// Thousands of requests in flight at once share the connection's one reply subscription
    /// (`<inbox>.<token>` reply subjects under one inbox), each answered with its own reply.
    @Test func manyRequestsInFlightShareOneReplySubscription() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let other = try await TestServers.connect(server)
        defer { other.close() }
        let replySubjects = Mutex<Set<String>>([])
        let echo = try Responder(other, subject: "svc.many") { m in
            replySubjects.withLock { _ = $0.insert(m.reply ?? "") }
            return Data("re:".utf8) + m.data
        }
        defer { echo.stop() }
        let n = 3000
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<n {
                group.addTask { try await nc.request("svc.many", payload: Data("\(i)".utf8), timeout: .seconds(20)).text == "re:\(i)" }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(answered == n)
        let subjects = replySubjects.withLock { $0 }
        #expect(subjects.count == n)
        let inboxes = Set(subjects.map { $0.split(separator: ".").dropLast().joined(separator: ".") })
        #expect(inboxes.count == 1, "\(inboxes.prefix(3))")
        #expect(subjects.allSatisfy { $0.hasPrefix("_INBOX.") && $0.split(separator: ".").count == 3 })
    }

    /// A request sent again after its timeout (`resends`) goes to the same reply subject: a late
    /// reply to the first send ends it, though the second send is never answered.
    @Test func aLateReplyToTheFirstSendCountsAfterAResend() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let other = try await TestServers.connect(server)
        defer { other.close() }
        let sub = try other.subscribe("svc.late")
        try other.flush()
        let seen = Mutex<[String]>([])
        let task = Task {
            for await batch in sub {
                for m in batch {
                    guard let reply = m.reply, seen.withLock({ $0.append(reply); return $0.count == 1 }) else { continue }
                    // Only the first send is answered, after its timeout.
                    Task {
                        try? await Task.sleep(for: .milliseconds(1_400))
                        try? other.publish(reply, payload: Data("late".utf8))
                    }
                }
            }
        }
        defer { task.cancel(); sub.unsubscribe() }
        let reply = try await nc.request("svc.late", timeout: .seconds(1), resends: 1)
        #expect(reply.text == "late")
        let sends = seen.withLock { $0 }
        #expect(sends.count == 2 && Set(sends).count == 1, "\(sends)")
        // Without a resend the late reply is too late.
        seen.withLock { $0 = [] }
        #expect(kind(await requestError(nc, "svc.late", timeout: .seconds(1))) == .timeout)
    }

    @Test func aCancelledRequestEndsAtOnceAndAClosedConnectionEndsTheOthers() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        let silent = try Responder(nc, subject: "svc.silent") { _ in nil }
        defer { silent.stop() }
        let started = ContinuousClock.now
        let cancelled = Task { await requestError(nc, "svc.silent", timeout: .seconds(30)) }
        let open = Task { await requestError(nc, "svc.silent", timeout: .seconds(30)) }
        try await TestServers.waitUntil("the responder has both requests") { silent.subscription.delivered == 2 }
        cancelled.cancel()
        #expect(kind(await cancelled.value) == .timeout)
        #expect(ContinuousClock.now - started < .seconds(15))
        nc.close()
        #expect(await open.value == .closed)
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    @Test func nobodyListeningIsNoRespondersAtOnce() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let started = ContinuousClock.now
        let error = await requestError(nc, "svc.nobody", timeout: .seconds(10))
        #expect(error == .noResponders(subject: "svc.nobody"))
        // The server says so at once: it is not a timeout in disguise.
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aSilentResponderIsATimeoutWithinTheBound() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let silent = try Responder(nc, subject: "svc.silent") { _ in nil }
        defer { silent.stop() }

        let started = ContinuousClock.now
        let error = await requestError(nc, "svc.silent", timeout: .milliseconds(500))
        let took = ContinuousClock.now - started
        #expect(kind(error) == .timeout)
        #expect(took >= .milliseconds(450), "gave up after \(took)")
        #expect(took < .seconds(5), "gave up after \(took)")
        #expect(silent.subscription.delivered == 1)
    }

    @Test func aClosedConnectionRefusesEverything() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        nc.close()
        #expect(nc.isClosed)
        #expect(nc.state == .closed)
        #expect(await requestError(nc, "svc.any", timeout: .seconds(1)) == .closed)
        #expect(throws: NATSError.closed) { try nc.publish("x", payload: Data("y")) }
        #expect(throws: NATSError.closed) { try nc.subscribe("x") }
        #expect(nc.rtt() == nil)
        #expect(nc.connectedServer == nil)
    }

    @Test func scatterGatherEndsAtTheExpectedCount() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let responders = try (0..<3).map { i in try Responder(nc, subject: "who.is.there") { _ in Data("host-\(i)") } }
        defer { responders.forEach { $0.stop() } }

        var answers: [String] = []
        let started = ContinuousClock.now
        for await m in try nc.scatterGather("who.is.there", window: .seconds(20), expected: 3) {
            answers.append(m.text)
        }
        #expect(answers.sorted() == ["host-0", "host-1", "host-2"])
        // Ended at the third answer, long before the window.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func scatterGatherWithFewerAnswersEndsAtTheWindow() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let responders = try (0..<3).map { i in try Responder(nc, subject: "who.is.there") { _ in Data("host-\(i)") } }
        defer { responders.forEach { $0.stop() } }

        var answers: [String] = []
        let started = ContinuousClock.now
        for await m in try nc.scatterGather("who.is.there", window: .seconds(1), expected: 5) {
            answers.append(m.text)
        }
        let took = ContinuousClock.now - started
        #expect(answers.sorted() == ["host-0", "host-1", "host-2"])
        #expect(took >= .milliseconds(900), "ended after \(took)")
        #expect(took < .seconds(8), "ended after \(took)")
    }

    @Test func scatterGatherEndsAtAnEmptyReplyOrNoResponders() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        // One responder that streams answers and then the empty sentinel, then one more.
        let sub = try nc.subscribe("stream.answers")
        try nc.flush()
        let task = Task {
            for await batch in sub {
                for m in batch {
                    guard let r = m.reply else { continue }
                    for text in ["one", "two", "", "three"] { try? nc.publish(r, payload: Data(text)) }
                }
            }
        }
        defer { task.cancel(); sub.unsubscribe() }

        var answers: [String] = []
        var started = ContinuousClock.now
        for await m in try nc.scatterGather("stream.answers", window: .seconds(20)) { answers.append(m.text) }
        #expect(answers == ["one", "two"])
        #expect(ContinuousClock.now - started < .seconds(10))

        var none = 0
        started = ContinuousClock.now
        for await _ in try nc.scatterGather("nobody.home", window: .seconds(20)) { none += 1 }
        #expect(none == 0)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
