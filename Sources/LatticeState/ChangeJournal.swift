import Foundation

/// Which records an input may have changed, by revision, so a view of the state can be updated
/// from the view of an earlier revision instead of rebuilt: every `LatticeState.apply` is one
/// revision, and the reducer marks each host (with its components, providers and provider
/// triage), link and named config it touched. A mark means "may have changed" (an input that
/// changed nothing visible may still mark); a record that changed is always marked.
///
/// A record keeps only its latest mark: marking it again moves its mark to the latest revision,
/// so the journal holds one mark per record that changed (at 10,000 hosts heartbeating, ~10,000
/// marks), not one per input. Bounded: past `capacity` marked records the oldest marks are
/// dropped, and then `changes(since:)` of a revision before them is nil (rebuild from scratch).
/// Not part of the state's value: two states equal in everything else are equal whatever their
/// journals.
public struct ChangeJournal: Sendable, Equatable {
    /// What a mark names.
    public enum Change: Hashable, Sendable {
        case host(String)
        /// Only what runs on the host changed as views read it (a provider's health, history or
        /// triage), not the host's own fields nor which components and providers it has.
        case workloads(String)
        case link(LinkKey)
        case config(String)
        /// Something every link's findings read changed (config names became listable or not).
        case allLinks
    }

    /// The revision of the latest input applied (0: none).
    public private(set) var revision: UInt64 = 0
    /// The marks in revision order; nil where the record was marked again later (the later mark
    /// stands for both).
    private var marks: [(revision: UInt64, change: Change?)] = []
    /// Where each marked record's latest mark is in `marks`.
    private var latest: [Change: Int] = [:]
    /// Marks of revisions up to this one may have been dropped.
    private var floor: UInt64 = 0
    let capacity: Int

    init(capacity: Int = 1 << 17) {
        self.capacity = max(1, capacity)
    }

    /// Places in `marks` (kept ones and those given up to a later mark of the same record).
    var storedMarks: Int { marks.count }

    mutating func advance() { revision &+= 1 }

    mutating func mark(_ change: Change) {
        // One look-up in `latest` for a record not marked in this revision (the first sync marks
        // each of 10,000 hosts after its ping and after its inventory, and 20,000 links).
        if let i = latest.updateValue(marks.count, forKey: change) {
            if marks[i].revision == revision {
                latest[change] = i
                return
            }
            marks[i].change = nil
        }
        marks.append((revision, change))
        if latest.count >= 2 * capacity {
            forgetOldest()
        } else if marks.count - latest.count > max(64, latest.count) {
            compact(from: 0)
        }
    }

    /// Room for `count` more marked records, so marking them does not grow the tables step by
    /// step (rehashing every key marked so far at each step): the first `link.get` listing marks
    /// 20,000 links at once at 10,000 hosts.
    mutating func reserve(_ count: Int) {
        guard count > 0 else { return }
        latest.reserveCapacity(min(2 * capacity, latest.count + count))
        if marks.capacity < marks.count + count { marks.reserveCapacity(marks.count + count) }
    }

    /// Drops the oldest marks, keeping `capacity` records' marks.
    private mutating func forgetOldest() {
        var excess = latest.count - capacity
        var i = 0
        while excess > 0 {
            if let change = marks[i].change {
                latest[change] = nil
                floor = marks[i].revision
                excess -= 1
            }
            i += 1
        }
        compact(from: i)
    }

    /// Keeps the marks from `start` on that no later mark replaced, in order.
    private mutating func compact(from start: Int) {
        var kept: [(revision: UInt64, change: Change?)] = []
        kept.reserveCapacity(latest.count)
        for mark in marks[start...] {
            guard let change = mark.change else { continue }
            latest[change] = kept.count
            kept.append(mark)
        }
        marks = kept
    }

    /// Everything marked after `revision`; nil when that is no longer known (marks dropped, or
    /// `revision` is not one of this journal's).
    public func changes(since revision: UInt64) -> ChangeSet? {
        guard revision >= floor, revision <= self.revision else { return nil }
        var set = ChangeSet()
        var i = marks.endIndex
        while i > marks.startIndex, marks[i - 1].revision > revision {
            i -= 1
            switch marks[i].change {
            case nil: break
            case .host(let id):
                set.hosts.insert(id)
                set.hostsThemselves.insert(id)
            case .workloads(let id): set.hosts.insert(id)
            case .link(let key): set.links.insert(key)
            case .config(let name): set.configs.insert(name)
            case .allLinks: set.allLinks = true
            }
        }
        return set
    }

    /// The hosts marked after `revision`: `changes(since:)`'s `hosts` (`includingWorkloads`) or
    /// its `hostsThemselves`, without gathering the rest; nil when that is no longer known. (A
    /// round of health reports marks thousands of hosts' workloads, which the Hosts pane does
    /// not read.)
    public func hosts(since revision: UInt64, includingWorkloads: Bool) -> Set<String>? {
        var hosts = Set<String>()
        return forEachHost(since: revision, includingWorkloads: includingWorkloads) { hosts.insert($0) } ? hosts : nil
    }

    /// Calls `body` with each host marked after `revision` (`hosts(since:includingWorkloads:)`),
    /// latest first, without gathering them into a set: once per mark, so a host marked both as
    /// `.host` and as `.workloads` comes twice with `includingWorkloads`. False, without calling
    /// it, when that is no longer known.
    func forEachHost(since revision: UInt64, includingWorkloads: Bool, _ body: (String) -> Void) -> Bool {
        guard revision >= floor, revision <= self.revision else { return false }
        var i = marks.endIndex
        while i > marks.startIndex, marks[i - 1].revision > revision {
            i -= 1
            switch marks[i].change {
            case .host(let id): body(id)
            case .workloads(let id) where includingWorkloads: body(id)
            default: break
            }
        }
        return true
    }

    /// The links marked after `revision` (`changes(since:)`'s `links`, without gathering the
    /// hosts: a round of health reports marks thousands); nil when that is no longer known.
    public func linkChanges(since revision: UInt64) -> Set<LinkKey>? {
        var links = Set<LinkKey>()
        return forEachLinkChange(since: revision) { links.insert($0) } ? links : nil
    }

    /// Calls `body` with each link marked after `revision`, once each (a record keeps only its
    /// latest mark), latest first, without gathering them into a set (the first `link.get`
    /// listing marks 20,000 links at 10,000 hosts); false, without calling it, when that is no
    /// longer known.
    public func forEachLinkChange(since revision: UInt64, _ body: (LinkKey) -> Void) -> Bool {
        guard revision >= floor, revision <= self.revision else { return false }
        var i = marks.endIndex
        while i > marks.startIndex, marks[i - 1].revision > revision {
            i -= 1
            if case .link(let key) = marks[i].change { body(key) }
        }
        return true
    }

    /// Not part of the state's value (see the type's comment).
    public static func == (a: ChangeJournal, b: ChangeJournal) -> Bool { true }
}

/// The records marked between two revisions (`ChangeJournal.changes(since:)`).
public struct ChangeSet: Sendable, Equatable {
    /// Hosts with anything marked (`.host` or `.workloads`).
    public var hosts: Set<String> = []
    /// Hosts whose own fields, or which components and providers they have, may have changed
    /// (`.host`): what a host's row in the Hosts pane reads.
    public var hostsThemselves: Set<String> = []
    public var links: Set<LinkKey> = []
    public var configs: Set<String> = []
    public var allLinks = false

    public init() {}

    public var isEmpty: Bool { hosts.isEmpty && links.isEmpty && configs.isEmpty && !allLinks }
}
