import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeProtocol
import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// A `link.get` reply with the bytes of the last one is not decoded again
/// (`LatticeClient.links(unlessRepeating:)`): the last one's links are returned as they are;
/// different bytes are decoded. Against a real nats-server.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct LinkListingRepeatTests {
    final class Answer: Sendable {
        let payload = Mutex<String>("")
    }

    static func listing(_ targets: [String]) -> String {
        let links = targets.map {
            #"{"source_id":"http-component","target":"\#($0)","name":"default","wit_namespace":"wasi","wit_package":"keyvalue","interfaces":["store"],"source_config":[],"target_config":[]}"#
        }
        return #"{"success":true,"message":"","response":[\#(links.joined(separator: ","))]}"#
    }

    static func storage(_ links: [Link]) -> UnsafeRawPointer? {
        links.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    @Test func theSameBytesAreNotDecodedAgain() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let hostSide = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { hostSide.close() }
        let answer = Answer()
        answer.payload.withLock { $0 = Self.listing(["kvredis", "kvnats"]) }
        let gets = try hostSide.subscribe("wasmbus.ctl.v1.default.link.get")
        let responder = Task {
            for await batch in gets {
                for m in batch {
                    guard let reply = m.reply else { continue }
                    try? hostSide.publish(reply, payload: Data(answer.payload.withLock { $0 }.utf8))
                }
            }
        }
        defer { responder.cancel(); gets.unsubscribe() }
        try hostSide.flush()
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .seconds(2))

        let first = try await client.links(unlessRepeating: nil)
        #expect(first.links.map(\.target) == ["kvredis", "kvnats"])
        let again = try await client.links(unlessRepeating: first)
        #expect(again.links == first.links)
        #expect(Self.storage(again.links) == Self.storage(first.links), "the same bytes: the last links, not a new decode")
        // Without the last reply: decoded, a copy of its own.
        let fresh = try await client.links(unlessRepeating: nil)
        #expect(fresh.links == first.links && Self.storage(fresh.links) != Self.storage(first.links))
        // Changed bytes: decoded.
        answer.payload.withLock { $0 = Self.listing(["kvredis"]) }
        let changed = try await client.links(unlessRepeating: first)
        #expect(changed.links.map(\.target) == ["kvredis"])
        // A refusal is still one, whatever came before.
        answer.payload.withLock { $0 = #"{"success":false,"message":"no","response":null}"# }
        await #expect(throws: LatticeClientError.self) { try await client.links(unlessRepeating: changed) }
    }
}
