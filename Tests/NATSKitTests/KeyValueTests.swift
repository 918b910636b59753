import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// JetStream key-value buckets (wasmCloud keeps its config in one) on a real nats-server.
@Suite(.timeLimit(.minutes(1)))
struct KeyValueTests {
    @Test func createPutGetKeysDelete() async throws {
        let server = try TestServers.start(jetStream: true)
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }

        // A bucket that does not exist is not made up.
        await #expect(throws: NATSError.self) { try await NATSKeyValue.open(nc, bucket: "CONFIGDATA_missing") }

        let kv = try await NATSKeyValue.open(nc, bucket: "CONFIGDATA_default", create: true)
        #expect(kv.bucket == "CONFIGDATA_default")
        #expect(try await kv.keys() == [])
        #expect(try await kv.get("nothing") == nil)

        try await kv.put("b-config", Data("{\"k\":\"v\"}"))
        try await kv.put("a-config", Data([0, 1, 2]))
        try await kv.put("b-config", Data("{\"k\":\"w\"}"))
        #expect(try await kv.keys() == ["a-config", "b-config"])
        #expect(try await kv.get("a-config") == Data([0, 1, 2]))
        #expect(try await kv.get("b-config") == Data("{\"k\":\"w\"}"))

        try await kv.delete("a-config")
        #expect(try await kv.get("a-config") == nil)
        #expect(try await kv.keys() == ["b-config"])

        // Another client opening the same bucket sees the same data.
        let other = try await TestServers.connect(server, name: "other")
        defer { other.close() }
        let again = try await NATSKeyValue.open(other, bucket: "CONFIGDATA_default")
        #expect(try await again.get("b-config") == Data("{\"k\":\"w\"}"))
    }

    @Test func withoutJetStreamOpeningFailsClearly() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let started = ContinuousClock.now
        var error: NATSError?
        do {
            _ = try await NATSKeyValue.open(nc, bucket: "CONFIGDATA_default", timeout: .seconds(2))
        } catch let e {
            error = e
        }
        #expect([ErrorKind.noResponders, .timeout].contains(kind(error)), "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
