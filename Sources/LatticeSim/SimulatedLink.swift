/// A link as the simulated hosts keep it (protocol reference §1.6.6).
public struct SimulatedLink: Sendable, Hashable {
    public var sourceID: String
    public var target: String
    public var name: String
    public var witNamespace: String
    public var witPackage: String
    public var interfaces: [String]
    public var sourceConfig: [String]
    public var targetConfig: [String]

    public init(sourceID: String, target: String, name: String = "default", witNamespace: String, witPackage: String,
                interfaces: [String], sourceConfig: [String] = [], targetConfig: [String] = []) {
        self.sourceID = sourceID
        self.target = target
        self.name = name
        self.witNamespace = witNamespace
        self.witPackage = witPackage
        self.interfaces = interfaces
        self.sourceConfig = sourceConfig
        self.targetConfig = targetConfig
    }

    /// Every key, as `link.get` and `linkdef_set` carry it.
    var json: [String: Any] {
        ["source_id": sourceID, "target": target, "name": name, "wit_namespace": witNamespace, "wit_package": witPackage,
         "interfaces": interfaces, "source_config": sourceConfig, "target_config": targetConfig]
    }

    /// A `link.put` body: `source_id`, `target`, `wit_namespace`, `wit_package` and `interfaces`
    /// required, `name` defaults to `default`, the config lists to empty.
    init?(request: SimRequest) {
        guard let source = request.required("source_id"), let target = request.required("target"),
              let namespace = request.required("wit_namespace"), let package = request.required("wit_package"),
              let interfaces = SimJSON.strings(request.object["interfaces"]), let name = request.string("name", default: "default"),
              let sourceConfig = request.strings("source_config"), let targetConfig = request.strings("target_config")
        else { return nil }
        self.init(sourceID: source, target: target, name: name, witNamespace: namespace, witPackage: package, interfaces: interfaces,
                  sourceConfig: sourceConfig, targetConfig: targetConfig)
    }
}
