import Foundation

/// `com.wadm.manifest_published` data: the whole manifest, kept as JSON.
public struct ManifestPublishedEvent: Sendable, Hashable, Codable {
    public var manifest: JSONValue

    public init(manifest: JSONValue) {
        self.manifest = manifest
    }

    /// `metadata.name`
    public var name: String? { manifest["metadata"]?["name"]?.stringValue }
    /// `metadata.annotations.version`
    public var version: String? { manifest["metadata"]?["annotations"]?["version"]?.stringValue }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard value.objectValue != nil else {
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "manifest is not a JSON object"))
        }
        manifest = value
    }

    public func encode(to encoder: any Encoder) throws {
        try manifest.encode(to: encoder)
    }
}

/// `com.wadm.manifest_unpublished` data.
public struct ManifestUnpublishedEvent: Sendable, Hashable, Codable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
