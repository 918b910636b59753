import Foundation
import LatticeProtocol
import LatticeState

/// One change to the lattice's links, as the steps that carry it out, the diff shown before it
/// is sent, and the change that undoes it. Pure.
public struct LinkChange: Sendable, Equatable {
    /// A control request and the event that confirms it.
    public enum Step: Sendable, Equatable {
        /// `link.put`; confirmed by `linkdef_set`, refused by `linkdef_set_failed`.
        case put(Link)
        /// `link.del` of the link's source, namespace, package and name; confirmed by `linkdef_deleted`.
        case delete(Link)
    }

    public var before: Link?
    public var after: Link?
    public var steps: [Step]

    /// The change from `before` to `after` (nil: absent). A link keeps its identity (source,
    /// namespace, package, name and target) across a put, which then replaces it. When the target
    /// changes but the rest stays, the host would refuse a second target for overlapping
    /// interfaces, so the old link is deleted first; when source, WIT package or name change, the
    /// new link is put first and the old one deleted after it took.
    public init(from before: Link?, to after: Link?) {
        self.before = before
        self.after = after
        switch (before, after) {
        case (nil, nil): steps = []
        case (nil, let new?): steps = [.put(new)]
        case (let old?, nil): steps = [.delete(old)]
        case (let old?, let new?):
            if old == new {
                steps = []
            } else if LinkKey(old) == LinkKey(new) {
                steps = [.put(new)]
            } else if LinkKey(old).base == LinkKey(new).base {
                steps = [.delete(old), .put(new)]
            } else {
                steps = [.put(new), .delete(old)]
            }
        }
    }

    /// The change that puts back what was there before.
    public var undo: LinkChange { LinkChange(from: after, to: before) }

    /// Other links a delete step removes too: `link.del` names only source, namespace, package
    /// and link name, so every link sharing them goes (`existing`: the links now).
    public func collateral(in existing: [Link]) -> [Link] {
        var gone: [Link] = []
        for case .delete(let old) in steps {
            gone += existing.filter { LinkKey($0).base == LinkKey(old).base && $0 != old && $0 != after }
        }
        return gone
    }

    /// What happens in words, for the confirm line and the outcome.
    public var summary: String {
        switch (before, after) {
        case (nil, let new?): return "add link \(Self.describe(new))"
        case (let old?, nil): return "delete link \(Self.describe(old))"
        case (_, let new?): return "change link \(Self.describe(new))"
        case (nil, nil): return "no change"
        }
    }

    static func describe(_ l: Link) -> String { "\(l.sourceID) → \(l.target) \(l.witDescription) (\(l.name))" }

    // MARK: - Diff

    /// Old against new, field by field: unchanged fields once, changed ones as a removed and an
    /// added line.
    public var diff: [DiffLine] {
        DiffLine.compare(Self.fieldNames, old: before.map(Self.fields), new: after.map(Self.fields))
    }

    static let fieldNames = ["source", "target", "link name", "namespace", "package", "interfaces", "source config", "target config"]

    static func fields(_ l: Link) -> [String] {
        [l.sourceID, l.target, l.name, l.witNamespace, l.witPackage, l.interfaces.joined(separator: ","),
         l.sourceConfig.joined(separator: ","), l.targetConfig.joined(separator: ",")]
    }
}

extension LinkChange {
    /// The requests that carry it out.
    public var actions: [OperateAction] {
        steps.map {
            switch $0 {
            case .put(let link): return .putLink(link)
            case .delete(let link): return .deleteLink(DeleteInterfaceLinkDefinitionRequest(deleting: link))
            }
        }
    }
}
