import Foundation

/// One entry of the `registry.put` body (a map from registry host to credential).
/// Note the camelCase wire key `registryType`, the only one in the control interface.
public struct RegistryCredential: Sendable, Hashable, Codable {
    public var username: String?
    public var password: String?
    public var token: String?
    public var registryType: String

    public init(username: String? = nil, password: String? = nil, token: String? = nil, registryType: String = "oci") {
        self.username = username
        self.password = password
        self.token = token
        self.registryType = registryType
    }

    enum CodingKeys: String, CodingKey {
        case username, password, token, registryType
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        token = try c.decodeIfPresent(String.self, forKey: .token)
        registryType = try c.decode(String.self, forKey: .registryType, default: "oci")
    }
}

/// The `registry.put` body: registry host → credential.
public typealias RegistryCredentialMap = [String: RegistryCredential]
