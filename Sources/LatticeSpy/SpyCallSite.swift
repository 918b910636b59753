/// Where a call goes and who makes it: the invocation subject's route and the caller headers.
/// Shared by every message of the same subject and headers (interned by the decoder), so a
/// message holds one reference for all of them.
public final class SpyCallSite: Sendable {
    public let route: SpyRoute
    /// `source-id` header.
    public let source: String?
    /// `target-id` header.
    public let targetID: String?
    /// `link-name` header as sent.
    public let rawLinkName: String?

    public init(route: SpyRoute, source: String?, targetID: String?, rawLinkName: String?) {
        self.route = route
        self.source = source
        self.targetID = targetID
        self.rawLinkName = rawLinkName
    }

    /// The decoder's cache key.
    struct Key: Hashable {
        let subject: String
        let source: String?
        let targetID: String?
        let rawLinkName: String?
    }
}
