import Foundation

/// Thresholds, retention times and buffer sizes of the lattice model. Times are seconds.
public struct LatticeStateConfiguration: Sendable, Equatable {
    /// A 1.x host with no heartbeat or ping reply for this long is stale (wadm's rule: 70 s,
    /// a bit more than two 30 s heartbeat intervals).
    public var hostStaleAfter: TimeInterval
    /// The same for v2 hosts, which publish a heartbeat every 15 s.
    public var v2HostStaleAfter: TimeInterval
    /// A stale host is removed after this long without a sign of life.
    public var staleHostRemovalAfter: TimeInterval
    /// A stopped host stays visible (as stopped) for this long.
    public var stoppedHostRetention: TimeInterval
    /// A running provider with no health event for this long after the last one (or after its
    /// start) is stale: two 30 s probe periods plus slack.
    public var providerHealthStaleAfter: TimeInterval
    /// Stopped providers and providers that failed to start stay visible for this long.
    public var stoppedProviderRetention: TimeInterval
    /// Components that failed to scale (and are not running) stay visible for this long.
    public var failedComponentRetention: TimeInterval
    /// A refused link put with no link behind it stays visible for this long.
    public var refusedLinkRetention: TimeInterval
    /// Facts about removed things (deleted links and config, stopped host IDs, scaled-down
    /// components) are kept this long, so that late or duplicated events cannot resurrect them.
    public var tombstoneRetention: TimeInterval
    /// Entries kept in the Events pane's ring buffer.
    public var eventLogCapacity: Int
    /// Entries kept in each provider's history.
    public var providerHistoryCapacity: Int
    /// CloudEvent IDs remembered to drop duplicates.
    public var duplicateWindow: Int
    /// Decode errors and sync failures kept as samples.
    public var sampleCapacity: Int
    /// Provider incidents (crashes, failed starts, unhealthy spells) are counted this far back.
    public var triageWindow: TimeInterval
    /// A provider with at least `flappingIncidents` incidents beginning within `flappingSpan`
    /// seconds is flapping.
    public var flappingIncidents: Int
    public var flappingSpan: TimeInterval

    public init(
        hostStaleAfter: TimeInterval = 70, v2HostStaleAfter: TimeInterval = 45,
        staleHostRemovalAfter: TimeInterval = 600, stoppedHostRetention: TimeInterval = 300,
        providerHealthStaleAfter: TimeInterval = 65, stoppedProviderRetention: TimeInterval = 300,
        failedComponentRetention: TimeInterval = 300, refusedLinkRetention: TimeInterval = 600,
        tombstoneRetention: TimeInterval = 3600, eventLogCapacity: Int = 1000,
        providerHistoryCapacity: Int = 50, duplicateWindow: Int = 4096, sampleCapacity: Int = 10,
        triageWindow: TimeInterval = 3600, flappingIncidents: Int = 3, flappingSpan: TimeInterval = 600
    ) {
        self.triageWindow = triageWindow
        self.flappingIncidents = max(1, flappingIncidents)
        self.flappingSpan = flappingSpan
        self.hostStaleAfter = hostStaleAfter
        self.v2HostStaleAfter = v2HostStaleAfter
        self.staleHostRemovalAfter = staleHostRemovalAfter
        self.stoppedHostRetention = stoppedHostRetention
        self.providerHealthStaleAfter = providerHealthStaleAfter
        self.stoppedProviderRetention = stoppedProviderRetention
        self.failedComponentRetention = failedComponentRetention
        self.refusedLinkRetention = refusedLinkRetention
        self.tombstoneRetention = tombstoneRetention
        self.eventLogCapacity = max(1, eventLogCapacity)
        self.providerHistoryCapacity = max(1, providerHistoryCapacity)
        self.duplicateWindow = max(0, duplicateWindow)
        self.sampleCapacity = max(1, sampleCapacity)
    }
}
