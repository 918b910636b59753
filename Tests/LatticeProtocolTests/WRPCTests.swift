import Foundation
import Testing
import LatticeProtocol

@Suite struct WRPCTests {
    /// Base64 payload of a fixture message. The fixture marks truncated payloads with a
    /// trailing `...`; that marker is not base64 and is removed here.
    func payload(_ message: JSONValue) throws -> Data {
        var text = try #require(message["payload_base64"]?.stringValue)
        if text.hasSuffix("...") { text.removeLast(3) }
        return try #require(Data(base64Encoded: text), "payload is not base64")
    }

    @Test func fixtureInvocations() throws {
        let file = try SharedFixtures.json("v1-constructed/wrpc-invocation.json")
        var invocations = 0
        for (key, message) in try #require(file.objectValue).sorted(by: { $0.key < $1.key }) {
            guard let subject = message["subject"]?.stringValue else { continue }
            let headers = (message["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if let parsed = WRPCSubject(parsing: subject) {
                invocations += 1
                #expect(parsed.subject == subject, "\(key) does not rebuild")
                #expect(WRPCHeaders(headers: headers).sourceID != nil, "\(key)")
            } else {
                #expect(subject.hasPrefix("_INBOX."), "\(key): only inbox replies may fail to parse")
                #expect(PayloadPreview.make(try payload(message)).kind == .empty)
            }
        }
        #expect(invocations == 2)

        let toComponent = try #require(file["provider_to_component"])
        let first = try #require(WRPCSubject(parsing: toComponent.memberString("subject")))
        #expect(first == WRPCSubject(lattice: "default", target: "rust_hello_world-http_component",
                                     instance: "wasi:http/incoming-handler@0.2.0", function: "handle"))
        let firstHeaders = WRPCHeaders(headers: try #require(toComponent["headers"]?.objectValue).compactMapValues(\.stringValue))
        #expect(firstHeaders.sourceID == "rust_hello_world-httpserver")
        #expect(firstHeaders.targetID == "rust_hello_world-http_component")
        #expect(firstHeaders.rawLinkName == nil)
        #expect(firstHeaders.linkName == "default")
        let firstPreview = PayloadPreview.make(try payload(toComponent))
        #expect(firstPreview.kind == .hex)
        #expect(firstPreview.rendered == "00 03 47 45 54 01")

        let toProvider = try #require(file["component_to_provider"])
        let second = try #require(WRPCSubject(parsing: toProvider.memberString("subject")))
        #expect(second.target == "rust_http_kv-kvredis")
        #expect(second.instance == "wasi:keyvalue/store@0.2.0-draft")
        #expect(second.function == "open")
        #expect(second.operation == "wasi:keyvalue/store@0.2.0-draft.open")
        let secondHeaders = WRPCHeaders(headers: try #require(toProvider["headers"]?.objectValue).compactMapValues(\.stringValue))
        #expect(secondHeaders.sourceID == "rust_http_kv-counter")
        #expect(secondHeaders.rawLinkName == "default")
        #expect(secondHeaders.traceparent?.hasPrefix("00-4bf92f35") == true)
        // 0x07 "default": not printable, so hex (wash spy would print a raw BEL).
        let secondPreview = PayloadPreview.make(try payload(toProvider))
        #expect(secondPreview.kind == .hex)
        #expect(secondPreview.rendered == "07 64 65 66 61 75 6c 74")
        #expect(secondPreview.summary == "hex: 07 64 65 66 61 75 6c 74")
    }

    @Test func subjectParsing() throws {
        #expect(WRPCSubject(parsing: "default.c.wrpc.0.0.1.wasi:cli/run.run") ==
                WRPCSubject(lattice: "default", target: "c", instance: "wasi:cli/run", function: "run"))
        // A bare function (exported by the world, outside any interface) has no instance token.
        let bare = try #require(WRPCSubject(parsing: "default.c.wrpc.0.0.1.handle"))
        #expect(bare == WRPCSubject(lattice: "default", target: "c", instance: "", function: "handle"))
        #expect(bare.operation == "handle" && bare.subject == "default.c.wrpc.0.0.1.handle")
        #expect(WRPCSubject(parsing: "default.c.wrpc.0.0.1") == nil, "needs a function")
        #expect(WRPCSubject(parsing: "default.c.wrpc.0.0.2.a.b") == nil)
        #expect(WRPCSubject(parsing: "default.c.wrpc.0.0.1.a..b") == nil)
        #expect(WRPCSubject(parsing: "wasmbus.rpc.default.p.health") == nil)
        #expect(WRPCSubject.subscription(lattice: "default", target: "c") == "default.c.wrpc.0.0.1.>")
        let built = WRPCSubject(lattice: "l", target: "t", instance: "wasmcloud:messaging/handler@0.2.0", function: "handle-message")
        #expect(built.subject == "l.t.wrpc.0.0.1.wasmcloud:messaging/handler@0.2.0.handle-message")
        #expect(WRPCSubject.parse(built.subject) == built)
    }

    @Test func headerLookup() {
        let headers = WRPCHeaders(headers: ["Source-Id": ["a", "b"], "link-name": ["blue"]])
        #expect(headers.sourceID == "a")
        #expect(headers.linkName == "blue")
        #expect(headers.dictionary == ["source-id": "a", "link-name": "blue"])
        #expect(WRPCHeaders().linkName == "default")
    }

    @Test func previewNeverHidesTruncation() {
        let text = PayloadPreview.make(Data("hello world".utf8), maxBytes: 5)
        #expect(text.kind == .text)
        #expect(text.rendered == "hello")
        #expect(text.isTruncated)
        #expect(text.summary == "hello … (+6 bytes)")

        let multiByte = PayloadPreview.make(Data("héllo".utf8), maxBytes: 2)
        #expect(multiByte.rendered == "h", "never cut inside a character")
        #expect(multiByte.shownBytes == 1 && multiByte.totalBytes == 6)

        let whole = PayloadPreview.make(Data("{\"a\":1}\n".utf8))
        #expect(whole.kind == .text && !whole.isTruncated && whole.summary == "{\"a\":1}\n")

        let invalid = PayloadPreview.make(Data([0x66, 0xFF, 0x6F]))
        #expect(invalid.kind == .hex && invalid.rendered == "66 ff 6f")

        let escape = PayloadPreview.make(Data("\u{1B}[2J".utf8))
        #expect(escape.kind == .hex, "terminal escapes are not text")

        let bidi = PayloadPreview.make(Data("abc\u{202E}def".utf8))
        #expect(bidi.kind == .hex)

        let longBinary = PayloadPreview.make(Data(repeating: 0, count: 1000), maxBytes: 4)
        #expect(longBinary.rendered == "00 00 00 00")
        #expect(longBinary.summary == "hex: 00 00 00 00 … (+996 bytes)")

        #expect(PayloadPreview.make(Data()).summary == "(empty)")
        #expect(PayloadPreview.make(Data("x".utf8), maxBytes: -1).shownBytes == 0)
    }
}
