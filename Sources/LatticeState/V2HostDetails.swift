import Foundation
import LatticeProtocol

/// What a wasmCloud v2 host tells about itself in its heartbeat. v2 hosts have no lattice and
/// cannot list their workloads: only counts are known.
public struct V2HostDetails: Sendable, Equatable {
    public var hostname: String
    /// The `hostgroup` label (v2's grouping key).
    public var hostGroup: String?
    public var environment: String?
    public var osArch: String
    public var osName: String
    /// `osKernel` on the wire; it carries the OS family (`unix`).
    public var osFamily: String
    public var cpuUsagePercent: Double
    public var memoryTotal: UInt64
    public var memoryFree: UInt64
    public var componentCount: UInt64
    public var workloadCount: UInt64
    /// Sorted: hosts send them in a different order every time.
    public var imports: [V2WitInterface]
    public var exports: [V2WitInterface]
    public var httpPort: UInt32?
    /// The subject it was published on.
    public var subject: String

    init(_ beat: V2HostHeartbeat, subject: String) {
        hostname = beat.hostname
        hostGroup = beat.hostGroup
        environment = beat.environment
        osArch = beat.osArch
        osName = beat.osName
        osFamily = beat.osKernel
        cpuUsagePercent = beat.systemCPUUsage
        memoryTotal = beat.systemMemoryTotal
        memoryFree = beat.systemMemoryFree
        componentCount = beat.componentCount
        workloadCount = beat.workloadCount
        imports = Self.sorted(beat.imports)
        exports = Self.sorted(beat.exports)
        httpPort = beat.httpPort
        self.subject = subject
    }

    private static func sorted(_ interfaces: [V2WitInterface]) -> [V2WitInterface] {
        interfaces
            .map { var i = $0; i.interfaces.sort(); return i }
            .sorted { ($0.packageReference, $0.interfaces.joined(separator: ","), $0.name ?? "")
                < ($1.packageReference, $1.interfaces.joined(separator: ","), $1.name ?? "") }
    }
}
