/// What one simulated host runs, for tests and the demo (the wire shape is built separately,
/// see `SimulatedLattice.inventory`).
public struct SimulatedInventory: Sendable, Equatable {
    public struct Component: Sendable, Equatable {
        public let id: String
        public let imageRef: String
        public let name: String?
        public let annotations: [String: String]
        public let revision: Int32
        public let maxInstances: UInt32
    }

    public struct Provider: Sendable, Equatable {
        public let id: String
        public let imageRef: String
        public let name: String?
        public let annotations: [String: String]
        public let revision: Int32
    }

    public let hostID: String
    public let friendlyName: String
    public let labels: [String: String]
    public let components: [Component]
    public let providers: [Provider]

    init(_ host: SimulatedHost) {
        hostID = host.id
        friendlyName = host.friendlyName
        labels = host.labels
        components = host.components.values.sorted { $0.id < $1.id }.map {
            Component(id: $0.id, imageRef: $0.imageRef, name: $0.name, annotations: $0.annotations, revision: $0.revision,
                      maxInstances: $0.maxInstances)
        }
        providers = host.providers.values.sorted { $0.id < $1.id }.map {
            Provider(id: $0.id, imageRef: $0.imageRef, name: $0.name, annotations: $0.annotations, revision: $0.revision)
        }
    }
}
