import Foundation

/// The wadm application API as the simulator serves it (`wadm.api.{lattice}.model.…`), with
/// replies written from the protocol reference (§6, §10): the list via `model.get` without a
/// name (wadm ≥ 0.15; 0.14 and older answer it with "Unsupported subject"), the deprecated
/// `model.list` (a bare array), and `model.status.{name}` (`ok`, and `undeployed` for an app it
/// does not know: 0.14–0.21 never answer `notfound` there).
struct SimulatedWadm: Sendable {
    var lattice: String
    /// wadm's version, e.g. `0.21.1`; below 0.15 `model.get` cannot list.
    var version: String

    var apiPrefix: String { "wadm.api.\(lattice).model" }
    var listSubject: String { "\(apiPrefix).get" }
    var deprecatedListSubject: String { "\(apiPrefix).list" }
    var statusPrefix: String { "\(apiPrefix).status." }
    /// What wadm's queue group `wadm_server` listens on here (every model operation).
    var subscriptions: [String] { ["\(apiPrefix).>"] }

    /// Whether this wadm lists applications through `model.get` (0.15 and later).
    var listsViaModelGet: Bool {
        let parts = version.split(separator: ".").map { Int($0) ?? 0 }
        let (major, minor) = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        return major > 0 || minor >= 15
    }

    /// One application and its status word (`deployed`, `unhealthy`, …).
    struct App: Sendable {
        var name: String
        var status: String
    }

    func reply(to subject: String, apps: [App]) -> Data {
        if subject == listSubject {
            guard listsViaModelGet else { return Self.error("Unsupported subject: \(subject)") }
            return SimJSON.encode(["result": "success", "message": "Successfully fetched list of applications",
                                   "models": apps.map(Self.summary)] as [String: Any])
        }
        if subject == deprecatedListSubject { return SimJSON.encode(apps.map(Self.summary)) }
        if subject.hasPrefix(statusPrefix) {
            let name = String(subject.dropFirst(statusPrefix.count))
            let status = apps.first { $0.name == name }?.status ?? "undeployed"
            return SimJSON.encode(["result": "ok", "message": "Successfully fetched status for application \(name)",
                                   "status": Self.status(status)] as [String: Any])
        }
        if subject.hasPrefix(listSubject + ".") {
            let name = String(subject.dropFirst(listSubject.count + 1))
            guard let app = apps.first(where: { $0.name == name }) else {
                return SimJSON.encode(["result": "notfound", "message": "Application with the name \(name) not found"])
            }
            return SimJSON.encode(["result": "success", "message": "Successfully fetched model \(name)",
                                   "manifest": Self.manifest(app)] as [String: Any])
        }
        if subject.hasPrefix("\(apiPrefix).history.") {
            return Self.error("Model deployment history is not currently supported. It may be added in a future version")
        }
        let operation = subject.dropFirst(apiPrefix.count + 1).split(separator: ".").first.map(String.init) ?? ""
        if ["put", "deploy", "undeploy", "del", "versions"].contains(operation) {
            // A real wadm would act; the simulated one keeps its demo apps as they are.
            return Self.error("the simulated wadm does not change or version applications (\(operation))")
        }
        return Self.error("Unsupported subject: \(subject)")
    }

    /// A minimal stored manifest (the simulator keeps no full ones).
    static func manifest(_ app: App) -> [String: Any] {
        ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
         "metadata": ["name": app.name, "annotations": ["version": "v0.1.0", "description": "demo application \(app.name)"]],
         "spec": ["components": [Any]()]]
    }

    static func error(_ message: String) -> Data {
        SimJSON.encode(["result": "error", "message": message])
    }

    /// A `Status`: `scalers` and the status `message` are left out when empty, as wadm does.
    static func status(_ type: String) -> [String: Any] {
        ["status": ["type": type], "version": "", "components": [Any]()]
    }

    static func summary(_ app: App) -> [String: Any] {
        ["name": app.name, "version": "v0.1.0", "description": "demo application \(app.name)", "deployed_version": "v0.1.0",
         "detailed_status": status(app.status), "status": app.status, "status_message": NSNull()]
    }
}
