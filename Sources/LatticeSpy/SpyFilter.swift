import Foundation
import Synchronization

/// A case-insensitive regular expression matched against a message's call subject, operation
/// (`instance.function`), instance and function. Replies match as their call does, so a filter
/// shows whole calls. Results are cached per route, so filtering a full ring is cheap.
public final class SpyFilter: Sendable {
    public let pattern: String
    private let regex: RegexBox
    private let cache = Mutex<[UInt64: Bool]>([:])

    /// Throws when `pattern` is not a valid regular expression.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        regex = RegexBox(try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]))
    }

    public func matches(_ message: SpyMessage) -> Bool { matches(message.route) }

    public func matches(_ route: SpyRoute) -> Bool {
        if let known = cache.withLock({ $0[route.id] }) { return known }
        let result = [route.subject, route.operation, route.instance, route.function].contains { regex.matches($0) }
        cache.withLock { c in
            if c.count >= 16_384 { c.removeAll() }
            c[route.id] = result
        }
        return result
    }
}

/// NSRegularExpression is immutable and safe to share between threads.
private struct RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
