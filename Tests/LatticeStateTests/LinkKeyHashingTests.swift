import Foundation
import LatticeProtocol
@testable import LatticeState
import Testing

/// A link key is hashed once, when it is made: folding a `link.get` listing of 20,000 links
/// hashes each key in the link table, the listing's snapshot, the change journal, and the
/// header's and the Links pane's sets (Benchmarks/README.md, "First full picture … `first11`").
@Suite struct LinkKeyHashingTests {
    static func key(source: String = "c1", namespace: String = "wasi", package: String = "keyvalue", name: String = "default",
                    target: String = "p1") -> LinkKey {
        LinkKey(sourceID: source, witNamespace: namespace, witPackage: package, name: name, target: target)
    }

    @Test func keysOfTheSameStringsAreEqualAndHashAlike() {
        // Strings made separately (other storage), as a decoded listing's are.
        let a = Self.key(source: String("component-" + "1"), target: String("provider-" + "1"))
        let b = Self.key(source: "component-1", target: "provider-1")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
    }

    @Test func eachFieldIsPartOfTheKey() {
        let base = Self.key()
        let others = [Self.key(source: "c2"), Self.key(namespace: "wrpc"), Self.key(package: "blobstore"),
                      Self.key(name: "other"), Self.key(target: "p2"),
                      // The same characters, split differently between fields.
                      Self.key(source: "c1w", namespace: "asi")]
        for other in others { #expect(other != base) }
        #expect(Set(others + [base]).count == others.count + 1)
    }

    /// Hashing a key does not read its strings again: 1,000 look-ups of a key whose source ID
    /// is 16 MB take milliseconds (hashing the strings each time: 16 GB, seconds).
    @Test func hashingAKeyDoesNotRehashItsStrings() {
        let long = String(repeating: "x", count: 16 << 20)
        let key = Self.key(source: long)
        var set: Set<LinkKey> = [key]
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            var found = 0
            for _ in 0..<1_000 where set.contains(key) { found += 1 }
            #expect(found == 1_000)
            set.insert(key)
        }
        #expect(elapsed < .milliseconds(500), "1,000 look-ups took \(elapsed)")
    }
}
