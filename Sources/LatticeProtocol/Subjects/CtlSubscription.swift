import Foundation

/// One subscription a 1.x host makes on the control connection (§1.2 of the protocol notes).
public struct CtlSubscription: Sendable, Hashable, Codable {
    public var subject: String
    /// Queue group, or `nil` for a plain subscription every host receives.
    public var queueGroup: String?

    public init(subject: String, queueGroup: String? = nil) {
        self.subject = subject
        self.queueGroup = queueGroup
    }
}

extension CtlSubjects {
    /// The subscriptions a host with `hostID` makes, in the order a 1.9 host makes them.
    public func hostSubscriptions(hostID: String) -> [CtlSubscription] {
        [
            CtlSubscription(subject: registryPut),
            CtlSubscription(subject: hostPing),
            CtlSubscription(subject: componentAuction),
            CtlSubscription(subject: providerAuction),
            CtlSubscription(subject: "\(base).link.*", queueGroup: "\(base).link"),
            CtlSubscription(subject: claimsGet, queueGroup: "\(base).claims"),
            CtlSubscription(subject: "\(base).config.>", queueGroup: "\(base).config"),
            CtlSubscription(subject: "\(base).component.*.\(hostID)"),
            CtlSubscription(subject: "\(base).provider.*.\(hostID)"),
            CtlSubscription(subject: "\(base).label.*.\(hostID)"),
            CtlSubscription(subject: "\(base).host.*.\(hostID)"),
        ]
    }
}
