import Foundation
import Synchronization

/// Keeps one copy of the string maps that hosts repeat — a component's wadm annotations (the same
/// `appspec`, `managed-by`, `scaler` and `spread_name` on every replica of it, on every host), a
/// host's labels — found by the JSON text they were read from. `JSONScanner.stringMap` looks a
/// map's text up before reading it: a map kept already costs a hash of its bytes and a compare,
/// not a dictionary, its strings and four key look-ups; and the model holds one table per distinct
/// map instead of one per component (`StringInterner` shares the keys' strings, not the tables).
///
/// Keyed by the exact bytes from `{` to `}`: equal bytes read to equal maps, so a map found is the
/// map reading them would give. A map spelled otherwise (escapes, whitespace, order) is another
/// entry, not a wrong one. Only maps `JSONScanner` accepted are kept (a repeated key or a value not
/// a string is declined as before, and each time it is met).
///
/// Bounded: `buckets` × `ways` entries at most, each of a map whose text is at most `maxBytes`
/// bytes and which has at most `maxPairs` pairs (larger maps are read as before, not kept). A new
/// map takes a free entry of its bucket, else one not used since the bucket's hand last passed it
/// (second chance), so a lattice whose maps all differ keeps turning the entries over instead of
/// growing, and maps that repeat stay. What that bounds: each entry holds its map's text (its
/// buffer, reused by the next map of the entry, keeps its largest size, ≤ `maxBytes`) and one
/// reference to the map, which the records it was read for usually hold as well.
public final class StringMapInterner: Sendable {
    /// 2,048 entries of ≤ 1 KiB texts and ≤ 32 pairs: at most ~2 MiB of texts and, if no record
    /// held any of the maps any longer, 2,048 maps (a table of ≤ 64 buckets, ~2 KiB, and ≤ 1 KiB
    /// of strings each: ≤ ~8 MiB at worst; ~1 MiB for wadm's four annotations).
    public static let shared = StringMapInterner(buckets: 512, ways: 4, maxBytes: 1_024, maxPairs: 32)

    public let buckets: Int
    public let ways: Int
    public let maxBytes: Int
    public let maxPairs: Int
    private let table: Mutex<Table>

    private struct Entry {
        var hash = 0
        var text: [UInt8] = []
        var map: [String: String] = [:]
        var filled = false
        /// Found since the bucket's hand last passed it.
        var used = false
    }

    private struct Table {
        var entries: [Entry]
        /// Per bucket, the way the next replacement starts looking from.
        var hands: [Int]
        var hits = 0
    }

    public init(buckets: Int, ways: Int, maxBytes: Int, maxPairs: Int) {
        self.buckets = max(0, buckets)
        self.ways = max(1, ways)
        self.maxBytes = maxBytes
        self.maxPairs = maxPairs
        table = Mutex(Table(entries: Array(repeating: Entry(), count: self.buckets * self.ways),
                            hands: Array(repeating: 0, count: self.buckets)))
    }

    /// The hash `lookup` and `keep` take for the text `utf8`.
    static func hash(_ utf8: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: utf8)
        return hasher.finalize()
    }

    /// The kept map read from exactly the bytes `utf8` (whose hash is `hash`), or nil.
    func lookup(_ utf8: UnsafeRawBufferPointer, hash: Int) -> [String: String]? {
        guard buckets > 0 else { return nil }
        let first = bucket(hash) * ways
        return table.withLock { table in
            for i in first..<(first + ways) where table.entries[i].filled && table.entries[i].hash == hash {
                guard Self.equal(table.entries[i].text, utf8) else { continue }
                table.entries[i].used = true
                table.hits += 1
                return table.entries[i].map
            }
            return nil
        }
    }

    /// Keeps `map`, read from exactly the bytes `utf8` (whose hash is `hash`), if it is within the
    /// bounds; the entry it takes is given up by the map it held.
    func keep(_ map: [String: String], utf8: UnsafeRawBufferPointer, hash: Int) {
        guard buckets > 0, !map.isEmpty, map.count <= maxPairs, utf8.count <= maxBytes else { return }
        let b = bucket(hash)
        let first = b * ways
        // The map given up is released after the lock.
        let replaced: [String: String]? = table.withLock { table in
            var victim: Int?
            for i in first..<(first + ways) {
                if !table.entries[i].filled {
                    victim = victim ?? i
                } else if table.entries[i].hash == hash && Self.equal(table.entries[i].text, utf8) {
                    return nil // kept meanwhile by another reader
                }
            }
            if victim == nil {
                // Second chance: the first entry from the hand on not found since it last passed.
                var way = table.hands[b]
                while table.entries[first + way].used {
                    table.entries[first + way].used = false
                    way = (way + 1) % ways
                }
                victim = first + way
                table.hands[b] = (way + 1) % ways
            }
            let i = victim!
            let old = table.entries[i].filled ? table.entries[i].map : nil
            table.entries[i].hash = hash
            table.entries[i].text.removeAll(keepingCapacity: true)
            table.entries[i].text.append(contentsOf: utf8)
            table.entries[i].map = map
            table.entries[i].filled = true
            table.entries[i].used = false
            return old
        }
        _ = replaced
    }

    /// Maps kept.
    public var count: Int {
        table.withLock { $0.entries.reduce(0) { $0 + ($1.filled ? 1 : 0) } }
    }

    /// Maps found kept (each a dictionary not made).
    public var hits: Int {
        table.withLock { $0.hits }
    }

    private func bucket(_ hash: Int) -> Int {
        Int(UInt(bitPattern: hash) % UInt(buckets))
    }

    private static func equal(_ kept: [UInt8], _ utf8: UnsafeRawBufferPointer) -> Bool {
        kept.count == utf8.count && kept.withUnsafeBytes { k in
            k.isEmpty || memcmp(k.baseAddress!, utf8.baseAddress!, k.count) == 0
        }
    }
}
