import LatticeProtocol

/// A link's identity. `link.del` names only source, namespace, package and link name
/// (`base`), and a host accepts two links with the same base to different targets when their
/// interfaces do not overlap, so the target is part of the identity.
public struct LinkKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The five strings and their hash, out of line: a key is one pointer in each table that
    /// holds it (the link table, the listing's snapshot, the change journal's marks and index,
    /// the header's and the Links pane's sets; 20,000 links at 10,000 hosts), copies share one
    /// box, instead of 88 bytes inline in every slot of every one of those tables.
    private final class Storage: Sendable {
        let sourceID: String
        let witNamespace: String
        let witPackage: String
        let name: String
        let target: String
        /// The five strings hashed once, when the key is made: a key is hashed many times, and
        /// hashing five strings each time was most of what folding a `link.get` listing cost.
        let hash: Int

        init(sourceID: String, witNamespace: String, witPackage: String, name: String, target: String) {
            self.sourceID = sourceID
            self.witNamespace = witNamespace
            self.witPackage = witPackage
            self.name = name
            self.target = target
            var hasher = Hasher()
            hasher.combine(sourceID)
            hasher.combine(witNamespace)
            hasher.combine(witPackage)
            hasher.combine(name)
            hasher.combine(target)
            hash = hasher.finalize()
        }
    }

    private let storage: Storage

    public var sourceID: String { storage.sourceID }
    public var witNamespace: String { storage.witNamespace }
    public var witPackage: String { storage.witPackage }
    public var name: String { storage.name }
    public var target: String { storage.target }

    public init(sourceID: String, witNamespace: String, witPackage: String, name: String, target: String) {
        storage = Storage(sourceID: sourceID, witNamespace: witNamespace, witPackage: witPackage, name: name, target: target)
    }

    /// Whether `other` is this key's own copy (the same box), not only an equal key.
    func sharesStorage(with other: LinkKey) -> Bool { storage === other.storage }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.hash)
    }

    public static func == (lhs: LinkKey, rhs: LinkKey) -> Bool {
        let l = lhs.storage, r = rhs.storage
        if l === r { return true }
        return l.hash == r.hash && l.sourceID == r.sourceID && l.target == r.target && l.name == r.name
            && l.witNamespace == r.witNamespace && l.witPackage == r.witPackage
    }

    public init(_ link: Link) {
        self.init(sourceID: link.sourceID, witNamespace: link.witNamespace, witPackage: link.witPackage,
                  name: link.name, target: link.target)
    }

    /// What a `link.del` request matches.
    public var base: LinkBaseKey {
        LinkBaseKey(sourceID: sourceID, witNamespace: witNamespace, witPackage: witPackage, name: name)
    }

    public static func < (lhs: LinkKey, rhs: LinkKey) -> Bool {
        (lhs.sourceID, lhs.witNamespace, lhs.witPackage, lhs.name, lhs.target)
            < (rhs.sourceID, rhs.witNamespace, rhs.witPackage, rhs.name, rhs.target)
    }

    public var description: String { "\(sourceID) → \(target) (\(witNamespace):\(witPackage), \(name))" }
}

/// Source, namespace, package and link name: the key of a `link.del` request.
public struct LinkBaseKey: Sendable, Hashable {
    public var sourceID: String
    public var witNamespace: String
    public var witPackage: String
    public var name: String

    public init(sourceID: String, witNamespace: String, witPackage: String, name: String) {
        self.sourceID = sourceID
        self.witNamespace = witNamespace
        self.witPackage = witPackage
        self.name = name
    }

    init(_ event: LinkDefDeletedEvent) {
        self.init(sourceID: event.sourceID, witNamespace: event.witNamespace, witPackage: event.witPackage, name: event.name)
    }
}
