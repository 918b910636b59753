import Foundation

/// Body of `component.auction`. A host answers only if every constraint equals one of its labels
/// and the component ID is not already running there.
public struct ComponentAuctionRequest: Sendable, Hashable, Codable {
    public var componentRef: String
    public var componentID: String
    public var constraints: [String: String]

    public init(componentRef: String = "", componentID: String, constraints: [String: String]) {
        self.componentRef = componentRef
        self.componentID = componentID
        self.constraints = constraints
    }

    enum CodingKeys: String, CodingKey {
        case componentRef = "component_ref"
        case componentID = "component_id"
        case constraints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        componentRef = try c.decode(String.self, forKey: .componentRef, default: "")
        componentID = try c.decode(String.self, forKey: .componentID)
        constraints = try c.decode([String: String].self, forKey: .constraints)
    }
}

/// One qualifying host's answer to a component auction.
public struct ComponentAuctionAck: Sendable, Hashable, Codable {
    public var componentRef: String
    public var componentID: String
    public var hostID: String
    public var constraints: [String: String]

    public init(componentRef: String, componentID: String, hostID: String, constraints: [String: String]) {
        self.componentRef = componentRef
        self.componentID = componentID
        self.hostID = hostID
        self.constraints = constraints
    }

    enum CodingKeys: String, CodingKey {
        case componentRef = "component_ref"
        case componentID = "component_id"
        case hostID = "host_id"
        case constraints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        componentRef = try c.decode(String.self, forKey: .componentRef, default: "")
        componentID = try c.decode(String.self, forKey: .componentID, default: "")
        hostID = try c.decode(String.self, forKey: .hostID, default: "")
        constraints = try c.decode([String: String].self, forKey: .constraints, default: [:])
    }
}
