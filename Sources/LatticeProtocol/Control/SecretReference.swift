/// The one rule for secret references: a named config whose name starts with `SECRET` is a
/// reference to a secret, not a config (`wasmCloud@v1.9.2:crates/secrets-types` `SECRET_PREFIX`;
/// protocol doc §config). Its values are never fetched, shown or edited here.
public enum SecretReference {
    public static let prefix = "SECRET"

    /// Whether the config name `name` is a secret reference.
    public static func isReference(_ name: String) -> Bool { name.hasPrefix(prefix) }
}
