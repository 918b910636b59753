import Foundation
import LatticeProtocol
import LatticeState

extension Dashboard {
    /// The selected row's data in its wire shape, pretty-printed (`y`).
    func rawJSON(pane: PaneID, rowID: String) -> [String]? {
        func lines<T: Encodable>(_ value: T) -> [String]? {
            let encoder = WireJSON.makeEncoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self).components(separatedBy: "\n") }
        }
        switch pane {
        case .hosts:
            guard let h = state.hosts[rowID] else { return nil }
            return lines(HostInventory(
                components: h.visibleComponents.map { ComponentDescription(id: $0.id, imageRef: $0.imageRef, name: $0.name, annotations: $0.annotations,
                                                                        revision: $0.revision, maxInstances: $0.maxInstances, limits: $0.limits) },
                providers: h.visibleProviders.map { ProviderDescription(id: $0.id, imageRef: $0.imageRef, name: $0.name, revision: $0.revision,
                                                                      annotations: $0.annotations) },
                hostID: h.id, friendlyName: h.friendlyName, labels: h.labels, version: h.version ?? "",
                uptimeHuman: "", uptimeSeconds: h.uptimeSeconds ?? 0))
        case .components:
            guard let c = state.allComponents.first(where: { "\($0.hostID)/\($0.id)" == rowID }) else { return nil }
            return lines(ComponentDescription(id: c.id, imageRef: c.imageRef, name: c.name, annotations: c.annotations, revision: c.revision,
                                              maxInstances: c.maxInstances, limits: c.limits))
        case .providers:
            guard let p = state.allProviders.first(where: { "\($0.hostID)/\($0.id)" == rowID }) else { return nil }
            return lines(ProviderDescription(id: p.id, imageRef: p.imageRef, name: p.name, revision: p.revision, annotations: p.annotations))
        case .links:
            return state.linkReports.first { $0.record.id.description == rowID }.flatMap { lines($0.record.link) }
        case .config:
            return state.configs[rowID]?.values.map { values in
                lines(Dictionary(uniqueKeysWithValues: values.map { ($0.key, SecretMask.mask(key: $0.key, value: $0.value)) })) ?? []
            }
        case .apps:
            guard let a = state.applications[rowID] else { return nil }
            return lines(ModelSummary(name: a.id, version: a.version ?? "", description: a.description, deployedVersion: a.deployedVersion,
                                      detailedStatus: WadmStatus(status: WadmStatusInfo(type: a.status, message: a.statusMessage), scalers: a.scalers),
                                      status: a.status, statusMessage: a.statusMessage))
        case .events, .spy:
            return nil
        }
    }
}
