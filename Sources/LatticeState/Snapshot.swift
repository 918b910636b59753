import Foundation

/// The key set of the latest complete listing (links from `link.get`, config names, wadm
/// apps): anything not in it is known to be absent as of its stamp.
struct Snapshot<Key: Hashable & Sendable>: Sendable, Equatable {
    var stamp: Stamp
    var keys: Set<Key>

    func absence(of key: Key) -> Stamp? {
        keys.contains(key) ? nil : stamp
    }
}

extension Optional {
    func absence<Key>(of key: Key) -> Stamp? where Wrapped == Snapshot<Key> {
        self?.absence(of: key)
    }
}

/// A removal that must outlive the removed record (so late events cannot undo it).
struct Tombstone: Sendable, Equatable {
    var stamp: Stamp
    var arrival: Date
}
