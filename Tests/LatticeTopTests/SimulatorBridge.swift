import LatticeProtocol
import LatticeSim

extension LatticeSimulator {
    /// The simulator's links in the client's type, field by field, so tests can compare them
    /// with what the client decoded (the simulator shares no wire type with the client).
    var links: [Link] {
        simulatedLinks.map {
            Link(sourceID: $0.sourceID, target: $0.target, name: $0.name, witNamespace: $0.witNamespace, witPackage: $0.witPackage,
                 interfaces: $0.interfaces, sourceConfig: $0.sourceConfig, targetConfig: $0.targetConfig)
        }
    }
}
