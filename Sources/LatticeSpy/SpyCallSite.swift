/// Where a call goes and who makes it: the invocation subject's route and the caller headers.
/// Shared by every message of the same subject and headers (interned by the decoder), so a
/// message holds one reference for all of them.
public final class SpyCallSite: Sendable {
    public let route: SpyRoute
    /// `source-id` header.
    public let source: String?
    /// `target-id` header.
    public let targetID: String?
    /// `link-name` header as sent.
    public let rawLinkName: String?
    /// The decoder's key: subject and headers as bytes (`KeyParts.encoded`).
    let key: [UInt8]

    public init(route: SpyRoute, source: String?, targetID: String?, rawLinkName: String?) {
        self.route = route
        self.source = source
        self.targetID = targetID
        self.rawLinkName = rawLinkName
        var key: [UInt8] = []
        func put(_ s: String?) {
            guard let s else { return key.append(0) }
            key.append(1)
            let n = s.utf8.count
            key.append(UInt8(truncatingIfNeeded: n))
            key.append(UInt8(truncatingIfNeeded: n >> 8))
            key.append(UInt8(truncatingIfNeeded: n >> 16))
            key.append(contentsOf: s.utf8)
        }
        put(route.subject)
        put(source)
        put(targetID)
        put(rawLinkName)
        self.key = key
    }

    /// The decoder's look-up key, in place.
    struct KeyParts {
        let subject: UnsafeRawBufferPointer
        let source: UnsafeRawBufferPointer?
        let targetID: UnsafeRawBufferPointer?
        let rawLinkName: UnsafeRawBufferPointer?

        var hash: UInt64 {
            func partHash(_ part: UnsafeRawBufferPointer?) -> UInt64 {
                part.map { SpyByteHash.hash($0, seed: 0x5851_F42D_4C95_7F2D) } ?? 0x1234_5678
            }
            var h = SpyByteHash.hash(subject)
            h = SpyByteHash.mix(h ^ partHash(source))
            h = SpyByteHash.mix(h ^ partHash(targetID))
            return SpyByteHash.mix(h ^ partHash(rawLinkName))
        }

        /// Whether `key` (a site's) encodes exactly these parts.
        func matches(_ key: [UInt8]) -> Bool {
            key.withUnsafeBytes { k in
                var at = 0
                func same(_ part: UnsafeRawBufferPointer?) -> Bool {
                    guard at < k.count else { return false }
                    guard let part else {
                        defer { at += 1 }
                        return k[at] == 0
                    }
                    guard k[at] == 1, at + 4 <= k.count else { return false }
                    let n = Int(k[at + 1]) | Int(k[at + 2]) << 8 | Int(k[at + 3]) << 16
                    at += 4
                    guard n == part.count, at + n <= k.count else { return false }
                    defer { at += n }
                    return SpyByteHash.equal(UnsafeRawBufferPointer(rebasing: k[at..<(at + n)]), part)
                }
                return same(subject) && same(source) && same(targetID) && same(rawLinkName) && at == k.count
            }
        }
    }
}
