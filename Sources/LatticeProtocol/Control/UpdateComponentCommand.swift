import Foundation

/// Body of `component.update.{hostID}`. All keys default to empty on decode.
public struct UpdateComponentCommand: Sendable, Hashable, Codable {
    public var componentID: String
    public var newComponentRef: String
    public var hostID: String
    public var annotations: [String: String]?

    public init(componentID: String, newComponentRef: String, hostID: String = "", annotations: [String: String]? = nil) {
        self.componentID = componentID
        self.newComponentRef = newComponentRef
        self.hostID = hostID
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey {
        case componentID = "component_id"
        case newComponentRef = "new_component_ref"
        case hostID = "host_id"
        case annotations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        componentID = try c.decode(String.self, forKey: .componentID, default: "")
        newComponentRef = try c.decode(String.self, forKey: .newComponentRef, default: "")
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(componentID, forKey: .componentID)
        try c.encode(newComponentRef, forKey: .newComponentRef)
        try c.encode(hostID, forKey: .hostID)
        try c.encodeIfPresent(annotations, forKey: .annotations)
    }
}
