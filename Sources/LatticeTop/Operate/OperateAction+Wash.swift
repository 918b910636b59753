import Foundation
import LatticeProtocol

extension OperateAction {
    /// The `wash` (1.x era, v0.40–v0.43) command line that does the same, with secret-looking
    /// values masked and shell-quoted where needed.
    public var washCommand: String {
        let q = Shell.quote
        switch self {
        case .startProvider(let c):
            var parts = ["wash start provider", q(c.providerRef), q(c.providerID)]
            if !c.hostID.isEmpty { parts.append("--host-id " + q(c.hostID)) }
            parts += c.config.map { "--config " + q($0) }
            return parts.joined(separator: " ")
        case .stopProvider(let h, let id):
            return "wash stop provider --host-id \(q(h)) \(q(id))"
        case .scaleComponent(let c):
            var parts = ["wash scale component", q(c.hostID), q(c.componentID), q(c.componentRef), "--max-instances \(c.count)"]
            parts += c.config.map { "--config " + q($0) }
            return parts.joined(separator: " ")
        case .updateComponent(let h, let id, let ref):
            return "wash update component --host-id \(q(h)) \(q(id)) \(q(ref))"
        case .putLabel(let h, let key, let value):
            return "wash label \(q(h)) \(q(key + "=" + SecretMask.mask(key: key, value: value)))"
        case .deleteLabel(let h, let key):
            return "wash label --delete \(q(h)) \(q(key))"
        case .stopHost(let h):
            return "wash stop host \(q(h))"
        case .putLink(let l):
            var parts = ["wash link put", q(l.sourceID), q(l.target), q(l.witNamespace), q(l.witPackage)]
            parts += l.interfaces.map { "--interface " + q($0) }
            parts += l.sourceConfig.map { "--source-config " + q($0) }
            parts += l.targetConfig.map { "--target-config " + q($0) }
            if l.name != Link.defaultName { parts.append("--link-name " + q(l.name)) }
            return parts.joined(separator: " ")
        case .deleteLink(let d):
            var parts = ["wash link del", q(d.sourceID), q(d.witNamespace), q(d.witPackage)]
            if d.name != Link.defaultName { parts.append("--link-name " + q(d.name)) }
            return parts.joined(separator: " ")
        case .putConfig(let name, let values):
            let pairs = values.sorted { $0.key < $1.key }.map { q($0.key + "=" + SecretMask.mask(key: $0.key, value: $0.value)) }
            return (["wash config put", q(name)] + pairs).joined(separator: " ")
        case .deleteConfig(let name):
            return "wash config del \(q(name))"
        }
    }
}

/// POSIX shell quoting for command lines shown to the user.
enum Shell {
    static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%")

    static func quote(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
