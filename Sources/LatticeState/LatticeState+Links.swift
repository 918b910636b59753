import Foundation
import LatticeProtocol

/// Links from `linkdef_*` events and `link.get` listings.
extension LatticeState {
    mutating func applyLinkSet(_ link: Link, stamp: Stamp, at: Date) {
        updateLink(link, at: at) { $0.set.keepLatest(Stamped(stamp: stamp, value: link, arrival: at)) }
    }

    mutating func applyLinkSetFailed(_ failed: LinkDefSetFailedEvent, stamp: Stamp, at: Date) {
        updateLink(failed.link, at: at) { $0.refused.keepLatest(Stamped(stamp: stamp, value: failed, arrival: at)) }
    }

    /// With a target (v1.3+, something was removed) the event names one link; without, it
    /// names every link with that source, namespace, package and name.
    mutating func applyLinkDeleted(_ deleted: LinkDefDeletedEvent, stamp: Stamp, at: Date) {
        lastUpdate[.links] = at
        let base = LinkBaseKey(deleted)
        if let target = deleted.target {
            let key = LinkKey(sourceID: base.sourceID, witNamespace: base.witNamespace, witPackage: base.witPackage,
                              name: base.name, target: target)
            if links[key] == nil {
                links[key] = LinkRecord(link: Link(sourceID: key.sourceID, target: target, name: key.name,
                                                   witNamespace: key.witNamespace, witPackage: key.witPackage,
                                                   interfaces: deleted.interfaces ?? []), key: key, at: at)
            }
            links[key]!.facts.deleted = Stamp.latest(links[key]!.facts.deleted, stamp)
            links[key]!.facts.touch(at)
            refreshLink(key, at: at)
        } else {
            if let existing = linkBaseDeletes[base], existing.stamp >= stamp { return }
            linkBaseDeletes[base] = Tombstone(stamp: stamp, arrival: at)
            let snapshot = linkSnapshot
            var touched: [LinkKey] = []
            links.mutateEachValue { key, record in
                guard key.base == base else { return }
                if record.refresh(baseDeleted: stamp, absence: snapshot.absence(of: key), at: at) { touched.append(key) }
            }
            for key in touched { changes.mark(.link(key)) }
        }
    }

    /// A complete `link.get` reply: lists every link as of `at`.
    mutating func applyLinkListing(_ listed: [Link], syncID: Int, at: Date) {
        lastUpdate[.links] = at
        sync.linkListingFailure = nil
        let stamp = Stamp(time: at, tiebreak: "~sync \(syncID) link.get")
        let isLatest = Stamp.isLater(stamp, than: linkSnapshot?.stamp)
        // One key and one look-up a link (a key hashes five strings; 20,000 links at 10,000
        // hosts). The loop reads the snapshot only when the listing is not the latest, and then
        // it is not replaced.
        var keys = Set<LinkKey>(minimumCapacity: listed.count)
        // The first listing (20,000 links) without growing the table step by step.
        if links.isEmpty { links.reserveCapacity(listed.count) }
        // A link the record already holds an equal copy of keeps that copy (its strings and
        // lists), and the snapshot keeps the record's key: the listing just decoded (20,000 links
        // at 10,000 hosts, a new copy every resync) is freed once folded, instead of a second
        // copy of every link staying in the model.
        func fold(_ record: inout LinkRecord, _ link: Link) {
            var kept = link
            if record.link == link {
                kept = record.link
            } else if let listed = record.facts.listed?.value, listed == link {
                kept = listed
            }
            record.facts.listed.keepLatest(Stamped(stamp: stamp, value: kept, arrival: at))
            record.facts.touch(at)
            keys.insert(record.id)
        }
        // The first listing (no link known before it, 20,000 at 10,000 hosts): every record is
        // one it lists (absent as of nothing), so each is refreshed as it is folded instead of
        // in a second pass over them all.
        if isLatest && links.isEmpty {
            let baseDeletes = linkBaseDeletes
            var touched: [LinkKey] = []
            touched.reserveCapacity(listed.count)
            for link in listed {
                let key = LinkKey(link)
                let baseDeleted = Self.baseDeleted(key, in: baseDeletes)
                func foldAndRefresh(_ record: inout LinkRecord) -> Bool {
                    fold(&record, link)
                    return record.refresh(baseDeleted: baseDeleted, absence: nil, at: at)
                }
                if foldAndRefresh(&links[key, default: LinkRecord(link: link, key: key, at: at)]) { touched.append(key) }
            }
            linkSnapshot = Snapshot(stamp: stamp, keys: keys)
            markLinks(touched)
            return
        }
        for link in listed {
            let key = LinkKey(link)
            fold(&links[key, default: LinkRecord(link: link, key: key, at: at)], link)
            if !isLatest { refreshLink(key, at: at) }
        }
        if isLatest {
            linkSnapshot = Snapshot(stamp: stamp, keys: keys)
            let snapshot = linkSnapshot, baseDeletes = linkBaseDeletes
            var touched: [LinkKey] = []
            links.mutateEachValue { key, record in
                if record.refresh(baseDeleted: Self.baseDeleted(key, in: baseDeletes), absence: snapshot.absence(of: key), at: at) { touched.append(key) }
            }
            markLinks(touched)
        }
    }

    /// The stamp of the latest delete of every link with `key`'s source, namespace, package and
    /// name (none when nothing was deleted that way: most lattices, then no look-up).
    private static func baseDeleted(_ key: LinkKey, in baseDeletes: [LinkBaseKey: Tombstone]) -> Stamp? {
        baseDeletes.isEmpty ? nil : baseDeletes[key.base]?.stamp
    }

    /// Marks the links a listing changed, the journal grown once for all of them.
    private mutating func markLinks(_ touched: [LinkKey]) {
        changes.reserve(touched.count)
        for key in touched { changes.mark(.link(key)) }
    }

    private mutating func updateLink(_ link: Link, at: Date, _ body: (inout LinkFacts) -> Void) {
        lastUpdate[.links] = at
        let key = LinkKey(link)
        if links[key] == nil { links[key] = LinkRecord(link: link, key: key, at: at) }
        body(&links[key]!.facts)
        links[key]!.facts.touch(at)
        refreshLink(key, at: at)
    }

    /// Refreshes one link (and marks it: its facts were touched).
    mutating func refreshLink(_ key: LinkKey, at: Date) {
        let baseDeleted = linkBaseDeletes[key.base]?.stamp
        let absence = linkSnapshot.absence(of: key)
        links[key]?.refresh(baseDeleted: baseDeleted, absence: absence, at: at)
        changes.mark(.link(key))
    }
}
