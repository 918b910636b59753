import Foundation

public enum ComponentStatus: Sendable, Equatable {
    case running
    /// The latest attempt to scale it failed and it does not run (kept visible for a while).
    case scaleFailed(error: String, at: Date)
    /// Scaled to zero, or no longer in the host's inventory. Not shown.
    case removed(at: Date)
}

/// A failed scale request, as reported by `component_scale_failed`.
public struct ScaleFailure: Sendable, Equatable {
    public var error: String
    public var imageRef: String
    public var requestedInstances: UInt32
    public var at: Date
}
