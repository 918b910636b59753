import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Many subjects into one consumer (the simulator's hosts), on shared delivery threads.
@Suite(.timeLimit(.minutes(1)))
struct SubscriptionGroupTests {
    @Test func subjectsShareOneConsumerAndARemovedOneHasNoResponders() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        var options = TestServers.options([server.url], name: "group")
        options.globalMessageDelivery = true
        let nc = try await NATSConnection.connect(options)
        defer { nc.close() }
        let group = NATSSubscriptionGroup()
        let subjects = (0..<500).map { "svc.host.\($0)" }
        for s in subjects { try nc.subscribe(s, into: group) }
        try nc.flush()
        #expect(group.count == 500)
        let responder = Task {
            for await batch in group {
                for m in batch { if let r = m.reply { try? nc.publish(r, payload: Data(m.subject.utf8)) } }
            }
        }
        // Every subject answers through the one consumer, with its own subject.
        for s in [subjects[0], subjects[250], subjects[499]] {
            #expect(try await nc.request(s, timeout: .seconds(5)).text == s)
        }
        // A removed subject is gone from the server: "no responders", the others still answer.
        group.unsubscribe(subjects[250])
        try nc.flush()
        #expect(await requestError(nc, subjects[250], timeout: .seconds(5)) == .noResponders(subject: subjects[250]))
        #expect(try await nc.request(subjects[251], timeout: .seconds(5)).text == subjects[251])
        #expect(group.count == 499)
        // Ending the group ends the consumer.
        group.unsubscribeAll()
        await responder.value
        try nc.flush()
        #expect(await requestError(nc, subjects[0], timeout: .seconds(5)) == .noResponders(subject: subjects[0]))
    }
}
