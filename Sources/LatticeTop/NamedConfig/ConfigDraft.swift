import Foundation
import LatticeProtocol

/// A named config being written (`a`), edited (`e`, `E`) or deleted: its name, its key/value
/// entries in the order shown, what it replaces, and the host's last answer when a put failed.
/// Pure.
public struct ConfigDraft: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public var name: String
    public var entries: [Entry]
    /// The values before the edit (nil: a new config).
    public var original: [String: String]?
    /// The host's refusal of the last attempt (or a timeout); the draft stays open with it.
    public var hostMessage: String?

    /// A new config (one empty entry to start typing into).
    public init(name: String = "") {
        self.name = name
        entries = [Entry("", "")]
    }

    /// An existing config, to edit; entries by key.
    public init(editing name: String, values: [String: String]) {
        self.name = name
        entries = values.keys.sorted().map { Entry($0, values[$0]!) }
        original = values
    }

    public var isEdit: Bool { original != nil }

    /// The values the draft describes: entries with an empty key and value are ignored.
    public var values: [String: String] {
        var v: [String: String] = [:]
        for e in entries where !(e.key.trimmed.isEmpty && e.value.isEmpty) { v[e.key.trimmed] = e.value }
        return v
    }

    /// Something that blocks sending: about the name (`entry` nil) or one entry.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var entry: Int?
        public var message: String
        public var description: String { message }
    }

    /// Problems that block sending. `existingNames`: configs that exist now (a new one must
    /// not overwrite one of them).
    public func validate(existingNames: Set<String>) -> [Problem] {
        var problems: [Problem] = []
        func name(_ message: String) { problems.append(Problem(entry: nil, message: message)) }
        let n = self.name.trimmed
        if n.isEmpty { name("the config needs a name") }
        else if let bad = LinkDraft.badConfigCharacter(in: n) { name("config name must not contain \(bad)") }
        else if SecretReference.isReference(n) { name("names starting with SECRET are secret references (use wash secrets)") }
        else if !isEdit && existingNames.contains(n) { name("config \(n) exists already (edit it with e)") }
        var seen: Set<String> = []
        for (i, e) in entries.enumerated() where !(e.key.trimmed.isEmpty && e.value.isEmpty) {
            let key = e.key.trimmed
            if key.isEmpty { problems.append(Problem(entry: i, message: "entry \(i + 1) has a value but no key")) }
            else if !seen.insert(key).inserted { problems.append(Problem(entry: i, message: "key '\(key)' appears twice")) }
        }
        if isEdit && original == values { name("nothing changed") }
        return problems
    }

    /// Old against new, key by key, secret-looking values masked unless `reveal` holds their key.
    public func diff(reveal: Set<String> = []) -> [DiffLine] {
        Self.diff(old: original, new: values, reveal: reveal)
    }

    /// Old against new values (nil: absent), key by key.
    public static func diff(old: [String: String]?, new: [String: String]?, reveal: Set<String> = []) -> [DiffLine] {
        let keys = Set((old ?? [:]).keys).union((new ?? [:]).keys).sorted()
        var lines: [DiffLine] = []
        for key in keys {
            let o = old?[key].map { SecretMask.mask(key: key, value: $0, revealed: reveal.contains(key)) }
            let n = new?[key].map { SecretMask.mask(key: key, value: $0, revealed: reveal.contains(key)) }
            if old?[key] == new?[key], let o { lines.append(DiffLine(.same, key, o)); continue }
            if let o { lines.append(DiffLine(.removed, key, o + (o == n ? "  (changed)" : ""))) }
            if let n { lines.append(DiffLine(.added, key, n + (o == n ? "  (changed)" : ""))) }
        }
        return lines
    }

    // MARK: - Entry editing

    /// Sets `key` to `value` (adding the entry when it is new).
    public mutating func set(_ key: String, _ value: String) {
        if let i = entries.firstIndex(where: { $0.key.trimmed == key.trimmed }) { entries[i].value = value } else {
            entries.removeAll { $0.key.isEmpty && $0.value.isEmpty }
            entries.append(Entry(key, value))
        }
    }

    public mutating func remove(at index: Int) {
        guard entries.indices.contains(index) else { return }
        entries.remove(at: index)
    }
}
