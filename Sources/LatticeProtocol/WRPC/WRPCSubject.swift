import Foundation

/// A wRPC invocation subject: `{lattice}.{target}.wrpc.0.0.1.{instance}.{function}`, or
/// `{lattice}.{target}.wrpc.0.0.1.{function}` for a bare function (one a world exports outside
/// any interface): then `instance` is empty.
///
/// NATS splits on `.`, so a versioned instance such as `wasi:http/incoming-handler@0.2.0`
/// spans several tokens: everything between the protocol tokens and the last token is re-joined
/// with `.` as the instance; the last token is the function.
public struct WRPCSubject: Sendable, Hashable, Codable {
    public static let protocolTokens = ["wrpc", "0", "0", "1"]
    public static let protocolName = protocolTokens.joined(separator: ".")

    public var lattice: String
    /// Component or provider ID addressed (the link target).
    public var target: String
    /// WIT instance, e.g. `wasi:keyvalue/store@0.2.0-draft`; empty for a bare function.
    public var instance: String
    /// Function, e.g. `handle`, `get`.
    public var function: String

    public init(lattice: String, target: String, instance: String, function: String) {
        self.lattice = lattice
        self.target = target
        self.instance = instance
        self.function = function
    }

    /// `nil` when `subject` is not a wRPC invocation subject.
    public init?(parsing subject: String) {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        let head = 2 + Self.protocolTokens.count
        guard tokens.count >= head + 1,
              tokens[2..<head].map(String.init) == Self.protocolTokens,
              !tokens.contains(where: \.isEmpty)
        else { return nil }
        lattice = String(tokens[0])
        target = String(tokens[1])
        instance = tokens[head..<(tokens.count - 1)].joined(separator: ".")
        function = String(tokens[tokens.count - 1])
    }

    public static func parse(_ subject: String) -> WRPCSubject? { WRPCSubject(parsing: subject) }

    /// The subject string.
    public var subject: String {
        "\(lattice).\(target).\(Self.protocolName).\(operation)"
    }

    /// `instance.function`, the "operation" wash spy prints (the function alone when bare).
    public var operation: String { instance.isEmpty ? function : "\(instance).\(function)" }

    /// `{lattice}.{target}.wrpc.>`: every invocation addressed to `target`.
    public static func subscription(lattice: String, target: String) -> String {
        "\(lattice).\(target).\(protocolName).>"
    }
}
