/// The annotations wadm puts on what it creates.
public enum WadmAnnotations {
    public static let managedBy = "wasmcloud.dev/managed-by"
    public static let appSpec = "wasmcloud.dev/appspec"
    public static let wadm = "wadm"

    public static func isManagedByWadm(_ annotations: [String: String]) -> Bool {
        annotations[managedBy] == wadm
    }

    /// The wadm application a component or provider belongs to.
    public static func application(_ annotations: [String: String]) -> String? {
        annotations[appSpec]?.nonEmpty
    }
}
