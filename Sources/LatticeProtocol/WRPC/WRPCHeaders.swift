import Foundation

/// The NATS headers on a wRPC invocation handshake that matter to a spy.
public struct WRPCHeaders: Sendable, Hashable, Codable {
    public static let sourceIDKey = "source-id"
    public static let targetIDKey = "target-id"
    public static let linkNameKey = "link-name"
    public static let traceparentKey = "traceparent"

    /// Calling component or provider (`source-id`).
    public var sourceID: String?
    /// Sent by providers (`target-id`).
    public var targetID: String?
    /// As sent; `nil` when absent (v1.0 hosts, providers).
    public var rawLinkName: String?
    public var traceparent: String?

    public init(sourceID: String? = nil, targetID: String? = nil, linkName: String? = nil, traceparent: String? = nil) {
        self.sourceID = sourceID
        self.targetID = targetID
        self.rawLinkName = linkName
        self.traceparent = traceparent
    }

    /// Reads the headers from a map (first value per key, header names matched case-insensitively).
    public init(headers: [String: [String]]) {
        func first(_ key: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value.first
        }
        self.init(
            sourceID: first(Self.sourceIDKey), targetID: first(Self.targetIDKey),
            linkName: first(Self.linkNameKey), traceparent: first(Self.traceparentKey))
    }

    /// Single-valued header map variant.
    public init(headers: [String: String]) {
        self.init(headers: headers.mapValues { [$0] })
    }

    /// The link name, defaulting to `default` as the provider SDK does.
    public var linkName: String { rawLinkName ?? Link.defaultName }

    /// The headers as a map, for publishing (absent values left out).
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        result[Self.sourceIDKey] = sourceID
        result[Self.targetIDKey] = targetID
        result[Self.linkNameKey] = rawLinkName
        result[Self.traceparentKey] = traceparent
        return result
    }
}
