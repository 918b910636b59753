import Foundation

/// The `host.ping`, `host.get` and `link.get` replies, decoded without `Codable`: a sync of a big
/// lattice reads one ping and one inventory per host (20,000 at 10,000 hosts) and a listing of
/// every link (20,000 there, a 4.6 MB reply), and Foundation's `JSONDecoder` spent most of the
/// dashboard's time on them (the listing alone ~0.1–0.2 s of CPU during the first picture). `JSONScanner` reads the reply in one pass; a reply it declines
/// (anything not plainly well-formed, see there) goes to `WireJSON.decode`, so a bad reply fails
/// with the same error as before and a valid one decodes to the same value either way
/// (`HostReplyDecoderTests`).
public enum HostReplyDecoder {
    /// A `host.ping` reply.
    public static func ping(_ data: Data) throws -> CtlResponse<HostInfo> {
        try direct(data, payload: hostInfo) ?? WireJSON.decode(CtlResponse<HostInfo>.self, from: data)
    }

    /// A `host.get` reply.
    public static func inventory(_ data: Data) throws -> CtlResponse<HostInventory> {
        try direct(data, payload: hostInventory) ?? WireJSON.decode(CtlResponse<HostInventory>.self, from: data)
    }

    /// A `link.get` reply.
    public static func links(_ data: Data) throws -> CtlResponse<[Link]> {
        try direct(data, payload: linkList) ?? WireJSON.decode(CtlResponse<[Link]>.self, from: data)
    }

    /// The direct reading alone (nil: declined), for tests and the fuzzer.
    public static func directLinks(_ data: Data) -> CtlResponse<[Link]>? { direct(data, payload: linkList) }

    /// The direct reading alone (nil: declined), for tests and the fuzzer.
    public static func directPing(_ data: Data) -> CtlResponse<HostInfo>? { direct(data, payload: hostInfo) }

    /// The direct reading alone (nil: declined), for tests and the fuzzer.
    public static func directInventory(_ data: Data) -> CtlResponse<HostInventory>? { direct(data, payload: hostInventory) }

    // MARK: - Envelope

    /// `{"success":…,"message":…,"response":…}`, with `error` read as `CtlResponse` reads it.
    /// `maps`: where the string maps read are kept and found (`StringMapInterner`).
    static func direct<P>(_ data: Data, maps: StringMapInterner = .shared, payload: (inout JSONScanner) -> P?) -> CtlResponse<P>? {
        guard WireJSON.firstInvalidUTF8Offset(data) == nil else { return nil }
        return data.withUnsafeBytes { bytes -> CtlResponse<P>? in
            var s = JSONScanner(bytes, maps: maps)
            var success: Bool?
            var message: String?
            var error: String?
            var response: P?
            let ok = s.object { s, key in
                switch key {
                case "success":
                    success = s.bool()
                    return success != nil
                case "message": return s.nullable(&message)
                case "error": return s.nullable(&error)
                case "response":
                    if s.null() { return true }
                    response = payload(&s)
                    return response != nil
                default: return s.skipValue()
                }
            }
            guard ok, s.atEnd() else { return nil }
            if let error { return CtlResponse(success: false, message: error, response: response) }
            guard let success else { return nil }
            return CtlResponse(success: success, message: message ?? "", response: response)
        }
    }

    // MARK: - Payloads

    /// `HostInfo` as its `init(from:)` reads it.
    static func hostInfo(_ s: inout JSONScanner) -> HostInfo? {
        var id: String?
        var friendlyName: String?, lattice: String?, uptimeHuman: String?, version: String?
        var ctlHost: String?, rpcHost: String?, jsDomain: String?
        var labels: [String: String]?
        var uptime: UInt64?
        let ok = s.object { s, key in
            switch key {
            case "id": return s.required(&id)
            case "friendly_name": return s.nullable(&friendlyName)
            case "labels": return s.nullable(&labels)
            case "lattice": return s.nullableInterned(&lattice)
            case "uptime_seconds": return s.nullable(&uptime)
            case "uptime_human": return s.nullable(&uptimeHuman)
            case "version": return s.nullableInterned(&version)
            case "ctl_host": return s.nullableInterned(&ctlHost)
            case "rpc_host": return s.nullableInterned(&rpcHost)
            case "js_domain": return s.nullableInterned(&jsDomain)
            default: return s.skipValue()
            }
        }
        guard ok, let id else { return nil }
        // The lattice, version and hosts every host of a lattice repeats were read kept once (`StringInterner`).
        return HostInfo(id: id, friendlyName: friendlyName ?? "", labels: labels ?? [:], lattice: lattice ?? "",
                        uptimeSeconds: uptime ?? 0, uptimeHuman: uptimeHuman, version: version,
                        ctlHost: ctlHost, rpcHost: rpcHost, jsDomain: jsDomain)
    }

    /// `HostInventory` as its `init(from:)` reads it: `components` (or, without it, `actors`) and
    /// `providers` required.
    static func hostInventory(_ s: inout JSONScanner) -> HostInventory? {
        var components: [ComponentDescription]?, actors: [ComponentDescription]?
        var hasComponents = false
        var providers: [ProviderDescription]?
        var hostID: String?, friendlyName: String?, version: String?, uptimeHuman: String?
        var labels: [String: String]?
        var uptime: UInt64?
        let ok = s.object { s, key in
            switch key {
            case "components":
                hasComponents = true
                components = list(&s, componentDescription)
                return components != nil
            case "actors":
                actors = list(&s, componentDescription)
                return actors != nil
            case "providers":
                providers = list(&s, providerDescription)
                return providers != nil
            case "host_id": return s.nullable(&hostID)
            case "friendly_name": return s.nullable(&friendlyName)
            case "labels": return s.nullable(&labels)
            case "version": return s.nullable(&version)
            case "uptime_human": return s.nullable(&uptimeHuman)
            case "uptime_seconds": return s.nullable(&uptime)
            default: return s.skipValue()
            }
        }
        // `components` when the key is there, else `actors` (null is an error either way).
        guard ok, let running = hasComponents ? components : actors, let providers else { return nil }
        return HostInventory(components: running, providers: providers, hostID: hostID ?? "", friendlyName: friendlyName ?? "",
                             labels: labels ?? [:], version: version ?? "", uptimeHuman: uptimeHuman ?? "",
                             uptimeSeconds: uptime ?? 0)
    }

    private static func list<T>(_ s: inout JSONScanner, _ element: (inout JSONScanner) -> T?) -> [T]? {
        var out: [T] = []
        let ok = s.array { s in
            guard let e = element(&s) else { return false }
            out.append(e)
            return true
        }
        return ok ? out : nil
    }

    static func componentDescription(_ s: inout JSONScanner) -> ComponentDescription? {
        var id: String?, imageRef: String?, name: String?
        var annotations: [String: String]?, limits: [String: String]?
        var revision: Int32?, maxInstances: UInt32?
        let ok = s.object { s, key in
            switch key {
            case "id": return s.required(&id)
            case "image_ref": return s.nullableInterned(&imageRef)
            case "name": return s.nullable(&name)
            case "annotations": return s.nullable(&annotations)
            case "revision": return s.nullable(&revision)
            case "max_instances": return s.nullable(&maxInstances)
            case "limits": return s.nullable(&limits)
            default: return s.skipValue()
            }
        }
        guard ok, let id else { return nil }
        return ComponentDescription(id: id, imageRef: imageRef ?? "", name: name, annotations: annotations,
                                    revision: revision ?? 0, maxInstances: maxInstances ?? 0, limits: limits)
    }

    static func providerDescription(_ s: inout JSONScanner) -> ProviderDescription? {
        var id: String?, imageRef: String?, name: String?
        var annotations: [String: String]?
        var revision: Int32?
        let ok = s.object { s, key in
            switch key {
            case "id": return s.required(&id)
            case "image_ref": return s.nullableInterned(&imageRef)
            case "name": return s.nullable(&name)
            case "annotations": return s.nullable(&annotations)
            case "revision": return s.nullable(&revision)
            default: return s.skipValue()
            }
        }
        guard ok, let id else { return nil }
        return ProviderDescription(id: id, imageRef: imageRef, name: name, revision: revision ?? 0,
                                   annotations: annotations)
    }

    /// A `link.get` reply's links, each as `Link.init(from:)` reads it.
    static func linkList(_ s: inout JSONScanner) -> [Link]? {
        list(&s, link)
    }

    /// `Link` as its `init(from:)` reads it: `source_id`, `target`, `wit_namespace`,
    /// `wit_package` and `interfaces` required; `name`, `source_config` and `target_config`
    /// defaulted when absent or `null`.
    static func link(_ s: inout JSONScanner) -> Link? {
        var sourceID: String?, target: String?, name: String?, witNamespace: String?, witPackage: String?
        var interfaces: [String]?, sourceConfig: [String]?, targetConfig: [String]?
        let ok = s.object { s, key in
            switch key {
            case "source_id": return s.required(&sourceID)
            case "target": return s.required(&target)
            case "name": return s.nullable(&name)
            case "wit_namespace": return s.required(&witNamespace)
            case "wit_package": return s.required(&witPackage)
            case "interfaces":
                interfaces = strings(&s)
                return interfaces != nil
            case "source_config": return nullable(&s, &sourceConfig)
            case "target_config": return nullable(&s, &targetConfig)
            default: return s.skipValue()
            }
        }
        guard ok, let sourceID, let target, let witNamespace, let witPackage, let interfaces else { return nil }
        return Link(sourceID: sourceID, target: target, name: name ?? Link.defaultName, witNamespace: witNamespace,
                    witPackage: witPackage, interfaces: interfaces, sourceConfig: sourceConfig ?? [], targetConfig: targetConfig ?? [])
    }

    /// An array of strings (`null` elements declined, as `JSONDecoder` refuses them).
    private static func strings(_ s: inout JSONScanner) -> [String]? {
        list(&s) { $0.string() }
    }

    /// A string list `JSONDecoder` reads with `decodeIfPresent` (`JSONScanner.nullable(_:)`):
    /// `null` leaves it nil.
    private static func nullable(_ s: inout JSONScanner, _ value: inout [String]?) -> Bool {
        if s.null() { return true }
        value = strings(&s)
        return value != nil
    }
}
