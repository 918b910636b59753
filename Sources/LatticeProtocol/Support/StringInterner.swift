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
    private let table: Mutex<Set<String>>

    public init(capacity: Int, maxLength: Int) {
        self.capacity = capacity
        self.maxLength = maxLength
        table = Mutex([])
    }

    /// The kept copy of `string` (or `string`, kept from now on while there is room).
    public func intern(_ string: String) -> String {
        let length = string.utf8.count
        guard length > 15, length <= maxLength else { return string }
        return table.withLock { set in
            if let i = set.firstIndex(of: string) { return set[i] }
            if set.count < capacity { set.insert(string) }
            return string
        }
    }

    public func intern(_ string: String?) -> String? {
        string.map { intern($0) }
    }

    /// How many strings are kept.
    public var count: Int {
        table.withLock { $0.count }
    }
}
