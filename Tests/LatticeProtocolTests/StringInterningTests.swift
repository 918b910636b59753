import Foundation
import Testing
import LatticeProtocol

/// The inventory readers keep one copy of what every host repeats: annotation and label keys and
/// image references read from two hosts' inventories are one string storage, not two (at 10 000
/// hosts / 50 000 components the four `wasmcloud.dev/…` keys alone were ~13 MB of copies).
@Suite struct StringInterningTests {
    /// Where a string's UTF-8 bytes are kept (nil for a small string kept inline in the value).
    static func storage(_ s: String) -> UnsafeRawPointer? {
        var s = s
        return s.withUTF8 { $0.count > 15 ? UnsafeRawPointer($0.baseAddress) : nil }
    }

    static func inventory(host: Int) -> HostInventory {
        let app = "inventory-app-\(host)"
        let annotations = ["wasmcloud.dev/appspec": app, "wasmcloud.dev/managed-by": "wadm",
                           "wasmcloud.dev/scaler": "\(app)-scaler-\(host)", "wasmcloud.dev/spread_name": "default"]
        return HostInventory(
            components: [ComponentDescription(id: "interning-component-\(host)", imageRef: "ghcr.io/example/interned/component:0.1.0",
                                              annotations: annotations, maxInstances: 1)],
            providers: [ProviderDescription(id: "interning-provider-\(host)", imageRef: "ghcr.io/example/interned-provider:0.2.0",
                                            annotations: [:])],
            hostID: "NHOST\(host)", friendlyName: "host-\(host)",
            labels: ["hostcore.arch.long-label-key": "x86_64"], version: "1.9.2", uptimeHuman: "1m", uptimeSeconds: 60)
    }

    @Test func twoHostsInventoriesShareTheirKeysAndImageReferences() throws {
        var read: [HostInventory] = []
        for host in 0..<2 {
            let data = try WireJSON.encode(CtlResponse<HostInventory>.ok(Self.inventory(host: host)))
            let reply = try #require(HostReplyDecoder.directInventory(data), "the direct reading declined the inventory")
            let inventory = try #require(reply.response)
            #expect(inventory == Self.inventory(host: host), "values are what was sent")
            read.append(inventory)
        }
        let (a, b) = (read[0], read[1])
        let keysA = try #require(a.components.first?.annotations), keysB = try #require(b.components.first?.annotations)
        #expect(keysA.count == 4)
        for key in keysA.keys {
            let other = try #require(keysB.keys.first { $0 == key })
            #expect(Self.storage(key) != nil)
            #expect(Self.storage(key) == Self.storage(other), "annotation key \(key) read twice")
        }
        let labelA = try #require(a.labels.keys.first), labelB = try #require(b.labels.keys.first)
        #expect(Self.storage(labelA) == Self.storage(labelB), "label key read twice")
        let componentRefs = (a.components[0].imageRef, b.components[0].imageRef)
        #expect(Self.storage(componentRefs.0) == Self.storage(componentRefs.1), "component image reference read twice")
        let providerRefs = try (#require(a.providers[0].imageRef), #require(b.providers[0].imageRef))
        #expect(Self.storage(providerRefs.0) == Self.storage(providerRefs.1), "provider image reference read twice")
        // What differs stays apart (nothing is shared by mistake).
        let scalers = try (#require(keysA["wasmcloud.dev/scaler"]), #require(keysB["wasmcloud.dev/scaler"]))
        #expect(scalers.0 != scalers.1)
    }

    @Test func twoHostsPingRepliesShareWhatTheLatticeRepeats() throws {
        var read: [HostInfo] = []
        for host in 0..<2 {
            let info = HostInfo(id: "NHOST\(host)", friendlyName: "host-\(host)", labels: ["hostcore.arch.long-label-key": "x86_64"],
                                lattice: "a-lattice-with-a-long-name", uptimeSeconds: 60, version: "1.9.2-with-a-long-suffix",
                                ctlHost: "nats://control.example.internal:4222", rpcHost: "nats://rpc.example.internal:4222")
            let data = try WireJSON.encode(CtlResponse<HostInfo>.ok(info))
            let reply = try #require(HostReplyDecoder.directPing(data), "the direct reading declined the ping")
            #expect(reply.response == info, "values are what was sent")
            read.append(try #require(reply.response))
        }
        let (a, b) = (read[0], read[1])
        let pairs: [(String, String?, String?)] = [("lattice", a.lattice, b.lattice), ("version", a.version, b.version),
                                                   ("ctl_host", a.ctlHost, b.ctlHost), ("rpc_host", a.rpcHost, b.rpcHost)]
        for (field, x, y) in pairs {
            let (x, y) = try (#require(x), #require(y))
            #expect(Self.storage(x) != nil && Self.storage(x) == Self.storage(y), "\(field) read twice")
        }
    }

    @Test func theInternerIsBoundedAndLeavesSmallStringsAlone() {
        let interner = StringInterner(capacity: 2, maxLength: 40)
        let long = String(repeating: "k", count: 20)
        #expect(Self.storage(interner.intern(String(long.reversed()))) == Self.storage(interner.intern(String(long.reversed()))))
        _ = interner.intern("short")
        #expect(interner.count == 1, "a small string is not kept")
        _ = interner.intern(String(repeating: "x", count: 41))
        #expect(interner.count == 1, "a string over maxLength is not kept")
        _ = interner.intern(String(repeating: "a", count: 20))
        _ = interner.intern(String(repeating: "b", count: 20))
        #expect(interner.count == 2, "no more than capacity")
        let third = String(repeating: "b", count: 20)
        #expect(interner.intern(third) == third)
    }

    /// `intern(utf8:)` (the readers look a string up by the bytes they read) gives what
    /// `intern(String(decoding:as:))` gives: the kept copy when there is one, bounded alike.
    @Test func internedBytesGiveTheKeptCopy() {
        let interner = StringInterner(capacity: 3, maxLength: 40)
        func fromBytes(_ text: String) -> String {
            Array(text.utf8).withUnsafeBytes { interner.intern(utf8: $0) }
        }
        let key = "wasmcloud.dev/annotation-read-by-bytes"
        let first = fromBytes(key)
        #expect(first == key)
        #expect(interner.count == 1)
        #expect(Self.storage(fromBytes(key)) == Self.storage(first), "the bytes of a kept string made a new one")
        #expect(Self.storage(interner.intern(String(key.reversed().reversed()))) == Self.storage(first))
        // Kept from a String first, then found by its bytes.
        let other = interner.intern(String(repeating: "é", count: 12))
        #expect(Self.storage(fromBytes(String(repeating: "é", count: 12))) == Self.storage(other))
        #expect(interner.count == 2)
        // Equal prefixes and lengths are told apart.
        let near = fromBytes("wasmcloud.dev/annotation-read-by-bytez")
        #expect(near == "wasmcloud.dev/annotation-read-by-bytez")
        #expect(interner.count == 3)
        // Small, too long, and past capacity: made as read, not kept.
        #expect(fromBytes("short") == "short")
        #expect(fromBytes("") == "")
        #expect(fromBytes(String(repeating: "x", count: 41)) == String(repeating: "x", count: 41))
        let late = fromBytes(String(repeating: "y", count: 20))
        #expect(late == String(repeating: "y", count: 20))
        #expect(interner.count == 3)
    }

    /// A key written with escapes is read to the same kept key as the plain one.
    @Test func escapedKeysAreTheKeptKey() throws {
        let plain = #"{"success":true,"response":{"id":"N1","labels":{"hostcore.escaped-label-key":"a"}}}"#
        let escaped = #"{"success":true,"response":{"id":"N2","labels":{"hostcore.escaped\u002dlabel-key":"b","x\/y-long-enough-key-here":"c"}}}"#
        let a = try #require(HostReplyDecoder.directPing(Data(plain.utf8))?.response?.labels)
        let b = try #require(HostReplyDecoder.directPing(Data(escaped.utf8))?.response?.labels)
        #expect(b == ["hostcore.escaped-label-key": "b", "x/y-long-enough-key-here": "c"])
        let keyA = try #require(a.keys.first), keyB = try #require(b.keys.first { $0 == keyA })
        #expect(Self.storage(keyA) == Self.storage(keyB))
    }
}
