import Foundation

/// The `result` field of wadm API replies. Open set: unknown values are kept.
public struct WadmResult: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let success = WadmResult(rawValue: "success")
    public static let ok = WadmResult(rawValue: "ok")
    public static let error = WadmResult(rawValue: "error")
    public static let notFound = WadmResult(rawValue: "notfound")
    public static let created = WadmResult(rawValue: "created")
    public static let newVersion = WadmResult(rawValue: "newversion")
    public static let acknowledged = WadmResult(rawValue: "acknowledged")
    public static let deleted = WadmResult(rawValue: "deleted")
    public static let noop = WadmResult(rawValue: "noop")

    /// `error` and `notfound`.
    public var isFailure: Bool { self == .error || self == .notFound }
}
