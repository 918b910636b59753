import Foundation
import LatticeProtocol
import LatticeState

extension Dashboard {
    /// The data a row is about in its wire shape, pretty-printed (`y`); nil when it has none
    /// (an event, a spied message: their detail is their drill-down).
    func rawJSON(_ item: RowItem) -> [String]? {
        func lines<T: Encodable>(_ value: T) -> [String]? {
            let encoder = WireJSON.makeEncoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self).components(separatedBy: "\n") }
        }
        switch item {
        case .host(let id):
            guard let h = state.hosts[id] else { return nil }
            return lines(HostInventory(
                components: h.visibleComponents.map { ComponentDescription(id: $0.id, imageRef: $0.imageRef, name: $0.name, annotations: $0.annotations,
                                                                        revision: $0.revision, maxInstances: $0.maxInstances, limits: $0.limits) },
                providers: h.visibleProviders.map { ProviderDescription(id: $0.id, imageRef: $0.imageRef, name: $0.name, revision: $0.revision,
                                                                      annotations: $0.annotations) },
                hostID: h.id, friendlyName: h.friendlyName, labels: h.labels, version: h.version ?? "",
                uptimeHuman: "", uptimeSeconds: h.uptimeSeconds ?? 0))
        case .component(let host, let id):
            guard let c = state.hosts[host]?.components[id] else { return nil }
            return lines(ComponentDescription(id: c.id, imageRef: c.imageRef, name: c.name, annotations: c.annotations, revision: c.revision,
                                              maxInstances: c.maxInstances, limits: c.limits))
        case .provider(let host, let id):
            guard let p = state.hosts[host]?.providers[id] else { return nil }
            return lines(ProviderDescription(id: p.id, imageRef: p.imageRef, name: p.name, revision: p.revision, annotations: p.annotations))
        case .link(let id):
            return state.linkReports.first { $0.record.id.description == id }.flatMap { lines($0.record.link) }
        case .config(let name), .configValue(let name, _):
            return state.configs[name]?.values.map { values in
                lines(Dictionary(uniqueKeysWithValues: values.map { ($0.key, SecretMask.mask(key: $0.key, value: $0.value)) })) ?? []
            }
        case .app(let name):
            guard let a = state.applications[name] else { return nil }
            return lines(ModelSummary(name: a.id, version: a.version ?? "", description: a.description, deployedVersion: a.deployedVersion,
                                      detailedStatus: WadmStatus(status: WadmStatusInfo(type: a.status, message: a.statusMessage), scalers: a.scalers),
                                      status: a.status, statusMessage: a.statusMessage))
        case .event, .spyMessage, .spyOperation:
            return nil
        }
    }
}
