import Foundation

/// latticetop's own settings file, `$XDG_CONFIG_HOME/latticetop/config.json` (default
/// `~/.config/latticetop/config.json`):
///
/// ```json
/// { "readonly": false, "contexts": { "prod": { "readonly": true } } }
/// ```
///
/// `readonly` at the top applies everywhere; under `contexts` it applies to that wash context
/// (also when switched to with `:ctx`). A missing file means no settings; a broken one is an error
/// that names the file.
public struct LatticeTopSettings: Codable, Equatable, Sendable {
    public struct ContextSettings: Codable, Equatable, Sendable {
        public var readonly: Bool?
        public init(readonly: Bool? = nil) { self.readonly = readonly }
    }

    public var readonly: Bool?
    public var contexts: [String: ContextSettings]?

    public init(readonly: Bool? = nil, contexts: [String: ContextSettings]? = nil) {
        self.readonly = readonly
        self.contexts = contexts
    }

    public static func path(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return config + "/latticetop/config.json"
    }

    public static func load(environment: [String: String]) throws(WashContextStore.Failure) -> LatticeTopSettings {
        let file = path(environment: environment)
        guard let data = FileManager.default.contents(atPath: file) else { return LatticeTopSettings() }
        do {
            return try JSONDecoder().decode(LatticeTopSettings.self, from: data)
        } catch {
            throw .invalid(file: file, detail: WashContextStore.describe(error, in: data))
        }
    }

    /// Whether the dashboard is read-only for `context`: the flag, `LATTICETOP_READONLY=1`, the
    /// top-level setting, or the context's own setting.
    public func isReadOnly(flag: Bool, context: String?, environment: [String: String]) -> Bool {
        if flag { return true }
        if let v = environment["LATTICETOP_READONLY"], ["1", "true", "yes"].contains(v.lowercased()) { return true }
        if readonly == true { return true }
        if let context, contexts?[context]?.readonly == true { return true }
        return false
    }
}
