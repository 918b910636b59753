import Foundation
import LatticeProtocol

/// A link (or a refused attempt to put one).
public struct LinkRecord: Sendable, Equatable, Identifiable {
    public let id: LinkKey
    /// The latest known value (from `linkdef_set`/`link.get`, else the refused put).
    public internal(set) var link: Link
    /// The link exists (as far as the latest facts tell).
    public internal(set) var isPresent = false
    /// The latest refused put, when no successful put came after it. Rarely set, so out of
    /// line: a pointer instead of a second `Link` inline in each of the link table's slots.
    public internal(set) var refusal: LinkRefusal? {
        get { refusalBox.value }
        set { refusalBox.value = newValue }
    }
    private var refusalBox = OutOfLineOptional<LinkRefusal>()
    public internal(set) var changedAt: Date
    private var factsBox: OutOfLine<LinkFacts>
    /// Read as a borrow and changed in place (a property wrapper's synthesized getter would
    /// copy the whole value out on every read of one field).
    var facts: LinkFacts {
        _read { yield factsBox.wrappedValue }
        set { factsBox.wrappedValue = newValue }
        _modify { yield &factsBox.wrappedValue }
    }

    /// `key`: the link's key in the link table, so the record and the table share it.
    init(link: Link, key: LinkKey, at: Date) {
        id = key
        self.link = link
        changedAt = at
        factsBox = OutOfLine(wrappedValue: LinkFacts(lastTouched: at))
    }

    public var isVisible: Bool { isPresent || refusalBox.isSet }

    /// `baseDeleted`: the latest delete that named only the base; `absence`: the latest
    /// `link.get` snapshot's stamp when it does not list this link.
    /// True when what is shown of it changed.
    @discardableResult
    mutating func refresh(baseDeleted: Stamp?, absence: Stamp?, at: Date) -> Bool {
        let present = Stamp.latest(facts.set?.stamp, facts.listed?.stamp)
        let gone = Stamp.latest(Stamp.latest(facts.deleted, baseDeleted), absence)
        let isPresent = Stamp.isLater(present, than: gone)
        var value = LatestPick<Link>()
        value.offer(facts.set?.stamp, facts.set?.value)
        value.offer(facts.listed?.stamp, facts.listed?.value)
        let refusal = facts.refused.flatMap { refused in
            Stamp.isLater(refused.stamp, than: facts.set?.stamp)
                ? LinkRefusal(error: refused.value.error, link: refused.value.link, at: refused.stamp.time) : nil
        }
        let link = value.value ?? refusal?.link ?? self.link
        guard isPresent != self.isPresent || refusal != self.refusal || link != self.link else { return false }
        self.isPresent = isPresent
        self.refusal = refusal
        self.link = link
        changedAt = at
        return true
    }
}

/// A `linkdef_set_failed`.
public struct LinkRefusal: Sendable, Equatable {
    public var error: String
    /// The link as it was put.
    public var link: Link
    public var at: Date
}

/// The latest report of each kind about one link.
struct LinkFacts: Sendable, Equatable {
    var set: Stamped<Link>?
    /// The latest `link.get` that listed it.
    var listed: Stamped<Link>?
    var lastTouched: Date
    /// The deletes and refused puts, rare (most links are only ever listed): out of line, and
    /// only when there is one.
    private var rare = OutOfLineWhenSet<RareLinkFacts>()

    init(lastTouched: Date) {
        self.lastTouched = lastTouched
    }

    /// The latest `linkdef_deleted` naming this target.
    var deleted: Stamp? {
        get { rare.fact { $0.deleted } }
        set { rare.value.deleted = newValue }
    }

    var refused: Stamped<LinkDefSetFailedEvent>? {
        get { rare.fact { $0.refused } }
        set { rare.value.refused = newValue }
    }

    /// Whether the rare facts have a box (one of them is set).
    var keepsRareFacts: Bool { rare.isKept }

    mutating func touch(_ at: Date) {
        if at > lastTouched { lastTouched = at }
    }
}

/// A link's rarely set facts (`LinkFacts.deleted`, `.refused`).
struct RareLinkFacts: RarelySet {
    var deleted: Stamp?
    var refused: Stamped<LinkDefSetFailedEvent>?

    var isEmpty: Bool { deleted == nil && refused == nil }
}
