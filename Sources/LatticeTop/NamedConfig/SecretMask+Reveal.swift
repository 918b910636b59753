extension SecretMask {
    /// The value masked unless the user revealed it (`x` in the Config pane).
    static func mask(key: String, value: String, revealed: Bool) -> String {
        revealed ? value : mask(key: key, value: value)
    }
}
