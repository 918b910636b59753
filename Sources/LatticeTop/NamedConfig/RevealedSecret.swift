/// A config value (or every value of a config, `key` nil) the user chose to see unmasked with
/// `x`. Kept in the UI state only; `x` again hides it.
public struct RevealedSecret: Sendable, Hashable {
    public var config: String
    public var key: String?

    public init(config: String, key: String? = nil) {
        self.config = config
        self.key = key
    }
}
