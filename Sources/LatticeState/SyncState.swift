import Foundation

/// Progress of the control-interface syncs (ping → inventories, links, config, apps).
public struct SyncState: Sendable, Equatable {
    /// The sync that started last and has not finished yet.
    public internal(set) var runningID: Int?
    /// Start times of recent syncs by ID, to judge the hosts that did not answer one.
    public internal(set) var startedAt: [Int: Date] = [:]
    public internal(set) var lastStartedAt: Date?
    public internal(set) var lastFinishedAt: Date?
    /// The last sync that ran to the end: only then does a missing answer mean something.
    public internal(set) var lastCompleteAt: Date?
    public internal(set) var lastHostsAnswered: Int?
    /// Why the last `link.get` failed, until one succeeds: the links shown are then not the
    /// lattice's (none at all when no listing ever came).
    public internal(set) var linkListingFailure: SyncFailure?

    /// When the first sync ended (complete or not): the end of the initial load.
    public internal(set) var firstFinishedAt: Date?

    public var isRunning: Bool { runningID != nil }

    /// Changes up to this moment are the initial load, not news (rows are not highlighted
    /// for them): the first sync's end, or the distant future while it runs; nil when no
    /// sync has started.
    public var initialLoadEnd: Date? {
        firstFinishedAt ?? (isRunning ? .distantFuture : nil)
    }
}
