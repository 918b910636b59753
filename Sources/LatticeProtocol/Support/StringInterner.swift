import Foundation
import Synchronization

/// Keeps one copy of the strings that hosts repeat in every inventory — annotation and label keys
/// (`wasmcloud.dev/appspec`, …), image references, a ping's lattice, version and control hosts —
/// so the model's 50 000 component records share them instead of each holding the copy its
/// inventory was read into. The inventory and ping readers (`HostReplyDecoder`, and
/// `JSONScanner.stringMap` for map keys) pass what they read through `shared`; values are
/// unchanged (an equal string is returned).
///
/// Bounded: strings of at most `maxLength` UTF-8 bytes, at most `capacity` of them; once full,
/// further strings are returned as read (nothing is evicted, so a string handed out stays the
/// one kept). Strings of 15 bytes or fewer are stored inline in the `String` value itself, so
/// there is nothing to share and they are returned as they are.
public final class StringInterner: Sendable {
    public static let shared = StringInterner(capacity: 16_384, maxLength: 256)

    public let capacity: Int
    public let maxLength: Int
    /// The kept strings by the hash of their UTF-8 bytes, so that a reader can look a string up
    /// by the bytes it is reading (`intern(utf8:)`) and make a `String` only for a new one.
    private let table: Mutex<Table>

    private struct Table {
        var byHash: [Int: [String]] = [:]
        var count = 0
    }

    public init(capacity: Int, maxLength: Int) {
        self.capacity = capacity
        self.maxLength = maxLength
        table = Mutex(Table())
    }

    /// The kept copy of `string` (or `string`, kept from now on while there is room).
    public func intern(_ string: String) -> String {
        let length = string.utf8.count
        guard length > 15, length <= maxLength else { return string }
        var contiguous = string
        return contiguous.withUTF8 { utf8 in kept(UnsafeRawBufferPointer(utf8)) { string } }
    }

    /// The kept copy of the string whose UTF-8 is `utf8` (or a new one, kept from now on while
    /// there is room): as `intern(String(decoding: utf8, as: UTF8.self))`, without making the
    /// string when a copy is kept (a sync of 10,000 hosts reads the same annotation and label
    /// keys and image references ~300,000 times).
    public func intern(utf8: UnsafeRawBufferPointer) -> String {
        guard utf8.count > 15, utf8.count <= maxLength else { return String(decoding: utf8, as: UTF8.self) }
        return kept(utf8) { String(decoding: utf8, as: UTF8.self) }
    }

    /// The kept string whose bytes are `utf8`, or `make()` (kept while there is room).
    private func kept(_ utf8: UnsafeRawBufferPointer, make: () -> String) -> String {
        var hasher = Hasher()
        hasher.combine(bytes: utf8)
        let hash = hasher.finalize()
        return table.withLock { table in
            if let candidates = table.byHash[hash] {
                for candidate in candidates where Self.bytes(of: candidate, equal: utf8) { return candidate }
            }
            let string = make()
            if table.count < capacity {
                table.byHash[hash, default: []].append(string)
                table.count += 1
            }
            return string
        }
    }

    private static func bytes(of string: String, equal utf8: UnsafeRawBufferPointer) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { kept in
            kept.count == utf8.count && (kept.isEmpty || memcmp(kept.baseAddress!, utf8.baseAddress!, kept.count) == 0)
        } ?? string.utf8.elementsEqual(utf8)
    }

    public func intern(_ string: String?) -> String? {
        string.map { intern($0) }
    }

    /// How many strings are kept.
    public var count: Int {
        table.withLock { $0.count }
    }
}
