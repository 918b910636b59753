import Foundation
import Testing
import LatticeProtocol

/// Decodes every reply in `v1-constructed/ctl-replies.json` with the type its operation
/// returns and checks it re-encodes to exactly the fixture.
@Suite struct CtlReplyFixtureTests {
    func replies() throws -> [(key: String, payload: JSONValue)] {
        let file = try #require(try SharedFixtures.json("v1-constructed/ctl-replies.json").objectValue)
        var result: [(String, JSONValue)] = []
        for (key, value) in file.sorted(by: { $0.key < $1.key }) where key != "_note" {
            if let many = value.arrayValue {
                result += many.map { (key, $0) }
            } else {
                result.append((key, value))
            }
        }
        return result
    }

    func decode(_ key: String, _ payload: JSONValue) throws -> CtlReply {
        if key.hasPrefix("any ") {
            return .ack(try WireJSON.decode(CtlAck.self, from: payload.bytes()))
        }
        let operation = try #require(CtlRequestFixtureTests.operation(forFixtureKey: key), "no operation for \(key)")
        return try CtlReply.decode(payload.bytes(), for: operation)
    }

    @Test func everyReplyDecodesAndReencodesExactly() throws {
        let replies = try replies()
        #expect(replies.count == 30)
        var failures = 0
        for (key, payload) in replies {
            let reply = try decode(key, payload)
            #expect(reply.success == payload["success"]?.boolValue, "\(key)")
            #expect(reply.message == payload["message"]?.stringValue, "\(key)")
            #expect(try jsonValue(reply.encoded()) == payload, "\(key) does not re-encode to the fixture")
            if !reply.success { failures += 1 }
        }
        #expect(failures == 8)
    }

    @Test func concreteValues() throws {
        let file = try SharedFixtures.json("v1-constructed/ctl-replies.json")
        let pings = try #require(file["host.ping"]?.arrayValue)
        let hosts = try pings.map { try WireJSON.decode(CtlResponse<HostInfo>.self, from: $0.bytes()).response }
        #expect(hosts.map { $0?.id } == ["NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S",
                                           "NEH2KVJ72CEUVW75EFR6EDT4SYWB5WKH7DNSIPZZ7FK4ZRI3R2WYOJFL"])
        #expect(hosts[0]?.jsDomain == nil)
        #expect(hosts[1]?.jsDomain == "core")
        #expect(hosts[1]?.uptimeSeconds == 7384)
        #expect(hosts[0]?.labels["zone"] == "eu-west")

        let inventory = try #require(try WireJSON.decode(
            CtlResponse<HostInventory>.self, from: file.memberBytes("host.get.{host_id}")).response)
        #expect(inventory.components.count == 1)
        #expect(inventory.components[0].limits == nil)
        #expect(inventory.components[0].maxInstances == 1)
        #expect(inventory.providers[0].name == "HTTP Server")
        #expect(inventory.friendlyName == "quiet-meadow-4821")

        let absent = try WireJSON.decode(CtlResponse<ConfigMap>.self, from: file.memberBytes("config.get.{name} (absent)"))
        #expect(absent.success && absent.response == nil && absent.message == "Configuration not found")

        let links = try WireJSON.decode(CtlResponse<[Link]>.self, from: file.memberBytes("link.get"))
        #expect(links.response?.map(\.target) == ["rust_hello_world-http_component", "rust_http_kv-kvredis"])

        let claims = try WireJSON.decode(CtlResponse<ClaimsList>.self, from: file.memberBytes("claims.get"))
        #expect(claims.response?.first?["subject"] == "VVFZ5ZFKKIBJ5J6WJIBAGI3MNBQNSPUQ2IDW52IJB4LAJLJ6HDU6GDPM")

        let conflict = try WireJSON.decode(CtlAck.self, from: file.memberBytes("link.put (conflict)"))
        #expect(conflict.failureMessage?.hasPrefix("link already exists") == true)
    }
}

extension JSONValue {
    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
