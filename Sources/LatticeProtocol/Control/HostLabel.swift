import Foundation

/// Body of `label.put.{hostID}`. Since v1.8 keys starting with `hostcore.` are refused.
public struct HostLabel: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Prefix of the labels a host sets itself (`hostcore.arch`, `hostcore.os`, `hostcore.osfamily`).
    public static let reservedPrefix = "hostcore."
}

/// Body of `label.del.{hostID}`.
public struct HostLabelIdentifier: Sendable, Hashable, Codable {
    public var key: String

    public init(key: String) {
        self.key = key
    }
}
