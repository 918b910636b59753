import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI

/// Turns a key's request into a form or a confirm, and a submitted form into actions (or
/// validation messages). Pure: everything it needs is in the lattice state.
public enum OperatePlanner {
    public static let auctionChoice = "auction: any host that answers"

    public static func begin(_ request: OperateRequest, target: OperateTarget, state: LatticeState,
                             context: OperateContext = OperateContext()) -> OperateStep {
        switch (request, target) {
        case (.addLink, _), (.editLink, _), (.deleteLink, _), (.undoLinkChange, _):
            return beginLink(request, target: target, state: state, context: context)
        case (.addConfig, _), (.editConfig, _), (.deleteConfig, _), (.editConfigInEditor, _):
            return beginConfig(request, target: target, state: state, context: context)
        case (.startProvider, _):
            return .form(startProviderForm(state))
        case (.stopProvider, .provider(let h, let id)):
            let action = OperateAction.stopProvider(hostID: h, providerID: id)
            let name = state.hosts[h]?.providers[id]?.name.map { " (\($0))" } ?? ""
            return .confirm(ConfirmState(title: "Stop provider?", lines: ["Stop provider \(id)\(name)", "on host \(hostLine(h, state))"],
                                         actions: [action], wadm: WadmGuard.check(action, in: state)))
        case (.scaleComponent, .component(let h, let id)):
            guard let c = state.hosts[h]?.components[id] else { return .refuse("component \(id) is no longer known on that host") }
            let form = FormState(title: "Scale component \(id)", fields: [
                FormField(id: "count", label: "Max instances", text: String(c.maxInstances), placeholder: "e.g. 10",
                          help: "0 stops the component (asks first)"),
            ], notes: ["on host \(hostLine(h, state))", "image \(c.imageRef)"])
            return .form(OperateFormState(purpose: .scaleComponent(hostID: h, componentID: id, imageRef: c.imageRef, annotations: c.annotations),
                                          form: form))
        case (.updateComponent, .component(let h, let id)):
            guard let c = state.hosts[h]?.components[id] else { return .refuse("component \(id) is no longer known on that host") }
            let refs = Set(state.allComponents.map(\.imageRef)).filter { !$0.isEmpty }.sorted()
            let form = FormState(title: "Update component \(id)", fields: [
                FormField(id: "ref", label: "Image reference", text: c.imageRef, placeholder: "registry/repo:tag",
                          help: "the new OCI reference (or file:// path)", suggestions: refs),
            ], notes: ["on host \(hostLine(h, state))", "now \(c.imageRef)"])
            return .form(OperateFormState(purpose: .updateComponent(hostID: h, componentID: id, imageRef: c.imageRef), form: form))
        case (.editLabels, .host(let h)), (.editLabels, .provider(let h, _)), (.editLabels, .component(let h, _)):
            guard let host = state.hosts[h] else { return .refuse("host \(h) is no longer known") }
            let own = host.labels.filter { !isReserved($0.key) }
            let text = own.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            let reserved = host.labels.keys.filter(isReserved).sorted()
            let form = FormState(title: "Labels of host \(host.displayName)", fields: [
                FormField(id: "labels", label: "Labels", text: text, placeholder: "key=value, key=value",
                          help: "comma-separated key=value; remove one to delete it; hostcore.* is reserved"),
            ], notes: ["host \(hostLine(h, state))"] + (reserved.isEmpty ? [] : ["reserved (not editable): " + reserved.joined(separator: ", ")]))
            return .form(OperateFormState(purpose: .editLabels(hostID: h, labels: own), form: form))
        case (.stopHost, .host(let h)), (.stopHost, .provider(let h, _)), (.stopHost, .component(let h, _)):
            let action = OperateAction.stopHost(hostID: h)
            let host = state.hosts[h]
            let load = host.map { "\($0.visibleComponents.count) components and \($0.visibleProviders.count) providers run on it" } ?? ""
            let managed = host.map { h in
                h.components.values.contains { WadmGuard.managed($0.annotations) != nil } || h.providers.values.contains { WadmGuard.managed($0.annotations) != nil }
            } ?? false
            var lines = ["Stop host \(hostLine(h, state))"]
            if !load.isEmpty { lines.append(load) }
            if managed { lines.append("wadm will reschedule its apps' components and providers on other hosts") }
            return .confirm(ConfirmState(title: "Stop host?", lines: lines, actions: [action]))
        case (_, .none):
            return .refuse("select a row first")
        default:
            return .refuse("not available for this row")
        }
    }

    /// The form was submitted: its actions, or the form back with messages.
    public static func submit(_ f: OperateFormState, state: LatticeState, context: OperateContext = OperateContext()) -> OperateStep {
        var errors: [String: String] = [:]
        var actions: [OperateAction] = []
        switch f.purpose {
        case .link(let original):
            return submitLink(f, original: original, state: state, context: context)
        case .config(let name, let original):
            return submitConfig(f, name: name, original: original, state: state)
        case .startProvider:
            let ref = f.form["ref"].trimmingCharacters(in: .whitespaces)
            let id = f.form["id"].trimmingCharacters(in: .whitespaces)
            let choice = f.form.field("host")
            let configs = f.form.field("config")?.items ?? []
            if let problem = imageRefProblem(ref) { errors["ref"] = problem }
            if id.isEmpty { errors["id"] = "a provider ID is required" }
            else if id.contains(where: { $0.isWhitespace }) { errors["id"] = "no spaces in a provider ID" }
            let hosts = startHosts(state)
            var hostID = ""
            if let choice, choice.selected > 0 {
                if hosts.indices.contains(choice.selected - 1) { hostID = hosts[choice.selected - 1].id }
                else { errors["host"] = "that host is gone; choose another" }
            }
            if !id.isEmpty, !hostID.isEmpty, state.hosts[hostID]?.providers[id]?.status.isRunning == true {
                errors["id"] = "\(id) already runs on that host"
            }
            if state.configNamesKnown {
                // A host fails the start (`provider_start_failed`) for a secret reference that is
                // not in the config store.
                let missing = configs.filter { state.configs[$0]?.exists != true }
                let (secrets, plain) = (missing.filter(SecretReference.isReference), missing.filter { !SecretReference.isReference($0) })
                let problems = (plain.isEmpty ? [] : ["no such config: " + plain.joined(separator: ", ")])
                    + (secrets.isEmpty ? [] : ["no such secret reference: " + secrets.joined(separator: ", ") + " (the start would fail)"])
                if !problems.isEmpty { errors["config"] = problems.joined(separator: "; ") }
            }
            actions = [.startProvider(StartProviderCommand(providerID: id, providerRef: ref, hostID: hostID, config: configs))]
        case .scaleComponent(let h, let id, let ref, let annotations):
            let text = f.form["count"].trimmingCharacters(in: .whitespaces)
            guard let count = UInt32(text) else {
                return .form(with(f, errors: ["count": "a whole number from 0 to \(UInt32.max)"]))
            }
            let action = OperateAction.scaleComponent(ScaleComponentCommand(componentID: id, componentRef: ref, count: count, hostID: h,
                                                                            annotations: annotations.isEmpty ? nil : annotations))
            let wadm = WadmGuard.check(action, in: state)
            if count == 0 || wadm != nil {
                let lines = count == 0 ? ["Scale component \(id) to 0 — this stops it", "on host \(hostLine(h, state))"]
                    : ["Scale component \(id) to \(count)", "on host \(hostLine(h, state))"]
                return .confirm(ConfirmState(title: count == 0 ? "Stop component?" : "Scale component?", lines: lines,
                                             actions: [action], wadm: wadm, form: f))
            }
            return .send([action])
        case .updateComponent(let h, let id, let current):
            let ref = f.form["ref"].trimmingCharacters(in: .whitespaces)
            if let problem = imageRefProblem(ref) { errors["ref"] = problem }
            else if ref == current { errors["ref"] = "that is the current reference" }
            guard errors.isEmpty else { return .form(with(f, errors: errors)) }
            let action = OperateAction.updateComponent(hostID: h, componentID: id, imageRef: ref)
            if let wadm = WadmGuard.check(action, in: state) {
                return .confirm(ConfirmState(title: "Update component?", lines: ["Update component \(id) to \(ref)", "on host \(hostLine(h, state))"],
                                             actions: [action], wadm: wadm, form: f))
            }
            return .send([action])
        case .editLabels(let h, let original):
            switch parseLabels(f.form["labels"]) {
            case .failure(let problem):
                errors["labels"] = problem.message
            case .success(let wanted):
                for (k, v) in wanted.sorted(by: { $0.key < $1.key }) where original[k] != v {
                    actions.append(.putLabel(hostID: h, key: k, value: v))
                }
                for k in original.keys.sorted() where wanted[k] == nil {
                    actions.append(.deleteLabel(hostID: h, key: k))
                }
                if actions.isEmpty { errors["labels"] = "no changes" }
            }
        }
        guard errors.isEmpty else { return .form(with(f, errors: errors)) }
        return .send(actions)
    }

    static func with(_ f: OperateFormState, errors: [String: String]) -> OperateFormState {
        var f = f
        f.form.setErrors(errors)
        f.form.show(nil, isError: false)
        return f
    }

    // MARK: - Pieces

    static func startProviderForm(_ state: LatticeState) -> OperateFormState {
        let hosts = startHosts(state)
        let refs = Set(state.allProviders.compactMap(\.imageRef)).filter { !$0.hasPrefix(ProviderRecord.builtinPrefix) }.sorted()
        let configs = state.sortedConfigs.filter(\.exists).map(\.name)
        let form = FormState(title: "Start provider", fields: [
            FormField(id: "ref", label: "Image reference", placeholder: "ghcr.io/wasmcloud/http-server:0.27.0",
                      help: "OCI reference or file:// path (→ completes from running providers)", suggestions: refs),
            FormField(id: "id", label: "Provider ID", placeholder: "http-server", help: "unique on the host"),
            .choice(id: "host", label: "Host", options: [auctionChoice] + hosts.map { "\($0.displayName) \(Format.shortID($0.id))" },
                    help: "← → to choose; auction picks a host that answers"),
            FormField(id: "config", label: "Named config", placeholder: "none", help: "comma-separated config names",
                      suggestions: configs),
        ])
        return OperateFormState(purpose: .startProvider, form: form)
    }

    /// The hosts a provider can be started on: live 1.x hosts, by name.
    static func startHosts(_ state: LatticeState) -> [HostRecord] {
        state.sortedHosts.filter { $0.liveness.isLive && !$0.isV2 }
    }

    static func hostLine(_ id: String, _ state: LatticeState) -> String {
        guard let h = state.hosts[id] else { return id }
        return h.friendlyName.isEmpty ? id : "\(h.friendlyName) (\(id))"
    }

    public static func isReserved(_ labelKey: String) -> Bool { labelKey.lowercased().hasPrefix("hostcore.") }

    /// Why `ref` cannot be an image reference, or nil.
    public static func imageRefProblem(_ ref: String) -> String? {
        if ref.isEmpty { return "an image reference is required" }
        if ref.contains(where: { $0.isWhitespace }) { return "no spaces in an image reference" }
        if ref.hasPrefix("file://") || ref.hasPrefix(ProviderRecord.builtinPrefix) { return nil }
        if !ref.contains("/") && !ref.contains(":") { return "expected registry/repository:tag (or file://…)" }
        return nil
    }

    public struct LabelProblem: Error, Equatable { public var message: String }

    /// `k=v, k2=v2` → labels; refuses reserved keys, empty keys and duplicates.
    public static func parseLabels(_ text: String) -> Result<[String: String], LabelProblem> {
        var out: [String: String] = [:]
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let eq = item.firstIndex(of: "=") else { return .failure(LabelProblem(message: "'\(item)' is not key=value")) }
            let key = item[..<eq].trimmingCharacters(in: .whitespaces)
            let value = item[item.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if key.isEmpty { return .failure(LabelProblem(message: "'\(item)' has no key")) }
            if isReserved(key) { return .failure(LabelProblem(message: "'\(key)': the hostcore.* prefix is reserved by the host")) }
            if out[key] != nil { return .failure(LabelProblem(message: "'\(key)' appears twice")) }
            out[key] = value
        }
        return .success(out)
    }
}
