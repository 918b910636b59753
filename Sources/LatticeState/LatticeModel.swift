import Foundation
import LatticeProtocol

/// The part of `LatticeState` that must not depend on the order in which facts arrived: which
/// hosts, components, providers, links, named configs and wadm apps there are, and in which
/// state (liveness, status, health, provider history).
///
/// Left out, because they legitimately depend on arrival order: the event log, counters,
/// connection and sync status, `changedAt` stamps, and arrival times (`lastSeen`,
/// `lastHeartbeatAt`). Records that are not shown (scaled-down components, deleted links and
/// configs, apps no longer listed) are left out too. Clock-driven states (host staleness,
/// provider health staleness) depend on *when* things arrived, not on their order.
public struct LatticeModel: Sendable, Equatable {
    public var hosts: [String: Host]
    public var links: [LinkKey: LinkState]
    public var configs: [String: ConfigState]
    public var applications: [String: ApplicationState]

    public struct Host: Sendable, Equatable {
        public var friendlyName: String
        public var labels: [String: String]
        public var version: String?
        public var lattice: String?
        public var uptimeSeconds: UInt64?
        public var startedAt: Date?
        public var ctlHost: String?
        public var rpcHost: String?
        public var jsDomain: String?
        public var v2: V2HostDetails?
        public var liveness: HostLiveness
        public var components: [String: Component]
        public var providers: [String: Provider]
    }

    public struct Component: Sendable, Equatable {
        public var imageRef: String
        public var name: String?
        public var maxInstances: UInt32
        public var annotations: [String: String]
        public var revision: Int32
        public var limits: [String: String]?
        public var status: ComponentStatus
        public var lastScaleFailure: ScaleFailure?
    }

    public struct Provider: Sendable, Equatable {
        public var imageRef: String?
        public var name: String?
        public var annotations: [String: String]
        public var revision: Int32
        public var status: ProviderStatus
        public var health: ProviderHealth
        public var lastStartFailure: ProviderStartFailure?
        public var lastEventAt: Date?
        public var history: [ProviderHistoryEntry]
    }

    public struct LinkState: Sendable, Equatable {
        public var link: Link
        public var isPresent: Bool
        public var refusal: LinkRefusal?
    }

    public struct ConfigState: Sendable, Equatable {
        public var values: [String: String]?
        public var valuesAreStale: Bool
    }

    public struct ApplicationState: Sendable, Equatable {
        public var version: String?
        public var deployedVersion: String?
        public var description: String?
        public var status: WadmStatusType
        public var statusMessage: String
        public var scalers: [WadmScalerStatus]
    }
}

extension LatticeState {
    /// The order-independent model (see `LatticeModel`).
    public var model: LatticeModel {
        LatticeModel(
            hosts: hosts.mapValues { host in
                LatticeModel.Host(
                    friendlyName: host.friendlyName, labels: host.labels, version: host.version, lattice: host.lattice,
                    uptimeSeconds: host.uptimeSeconds, startedAt: host.startedAt, ctlHost: host.ctlHost,
                    rpcHost: host.rpcHost, jsDomain: host.jsDomain, v2: host.v2, liveness: host.liveness,
                    components: host.components.filter { $0.value.isVisible }.mapValues { c in
                        LatticeModel.Component(
                            imageRef: c.imageRef, name: c.name, maxInstances: c.maxInstances, annotations: c.annotations,
                            revision: c.revision, limits: c.limits, status: c.status, lastScaleFailure: c.lastScaleFailure)
                    },
                    providers: host.providers.mapValues { p in
                        LatticeModel.Provider(
                            imageRef: p.imageRef, name: p.name, annotations: p.annotations, revision: p.revision,
                            status: p.status, health: p.health, lastStartFailure: p.lastStartFailure,
                            lastEventAt: p.lastEventAt, history: p.history)
                    })
            },
            links: links.filter { $0.value.isVisible }.mapValues {
                LatticeModel.LinkState(link: $0.link, isPresent: $0.isPresent, refusal: $0.refusal)
            },
            configs: configs.filter { $0.value.exists }.mapValues {
                LatticeModel.ConfigState(values: $0.values, valuesAreStale: $0.valuesAreStale)
            },
            applications: applications.filter { $0.value.exists }.mapValues {
                LatticeModel.ApplicationState(
                    version: $0.version, deployedVersion: $0.deployedVersion, description: $0.description,
                    status: $0.status, statusMessage: $0.statusMessage, scalers: $0.scalers)
            })
    }
}
