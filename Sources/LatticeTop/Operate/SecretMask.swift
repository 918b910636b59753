import Foundation

/// Hides values that look secret: values of keys that look secret (password, token, secret,
/// key, credentials, seed …) and values that are secrets whatever their key (NATS seeds,
/// PEM private keys), and passwords inside URLs. Used by the Config pane, the audit log and the
/// wash command lines.
public enum SecretMask {
    public static let markers = ["pass", "secret", "token", "key", "cred", "auth", "private", "seed", "jwt", "cert"]
    public static let masked = "••••••"

    public static func looksSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        return markers.contains { k.contains($0) }
    }

    /// A value that is a secret by its shape: an NKey seed (`SU…`, `SA…`, `SO…`, `SN…`) or a PEM
    /// private key.
    public static func looksSecret(value: String) -> Bool {
        if value.contains("PRIVATE KEY-----") { return true }
        let v = value.trimmingCharacters(in: .whitespaces)
        return v.count == 58 && v.hasPrefix("S") && v.allSatisfy { ($0.isUppercase && $0.isASCII) || ("2"..."7").contains($0) }
    }

    /// What replaces a password inside a URL (`redis://user:•••@host`).
    public static let maskedURLPassword = "•••"

    /// The value masked whole when its key or its shape says secret; otherwise with the
    /// passwords inside any URLs in it masked.
    public static func mask(key: String, value: String) -> String {
        looksSecret(key) || looksSecret(value: value) ? masked : maskingURLPasswords(value)
    }

    /// `value` with the password of every `scheme://user:password@host` in it replaced
    /// (`redis://user:pass@host` → `redis://user:•••@host`); user names, hosts and the rest stay.
    /// Several URLs (comma-separated cluster seeds) are each masked.
    public static func maskingURLPasswords(_ value: String) -> String {
        guard value.contains("://"), value.contains("@") else { return value }
        var out = ""
        var rest = Substring(value)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The authority ends at the path, query, fragment or white space.
            let end = rest.firstIndex { "/?#".contains($0) || $0.isWhitespace } ?? rest.endIndex
            let authority = rest[..<end]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":"),
               authority.index(after: colon) < at {
                out += authority[...colon] + maskedURLPassword
                rest = rest[at...]
            }
        }
        return out + rest
    }

    /// A JSON body with every string value under a secret-looking key (at any depth) masked, as
    /// one line with sorted keys. A body that is not JSON is shown as its byte count (or
    /// `(empty)`), never as text that could hold a secret.
    public static func maskJSON(_ data: Data) -> String {
        if data.isEmpty { return "(empty)" }
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return "(\(data.count) bytes, not JSON)"
        }
        let masked = maskValue(object, key: nil)
        guard let out = try? JSONSerialization.data(withJSONObject: masked, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "(\(data.count) bytes)" }
        return String(decoding: out, as: UTF8.self)
    }

    private static func maskValue(_ value: Any, key: String?) -> Any {
        switch value {
        case let dict as [String: Any]:
            return dict.reduce(into: [String: Any]()) { $0[$1.key] = maskValue($1.value, key: $1.key) }
        case let array as [Any]:
            return array.map { maskValue($0, key: key) }
        case let string as String:
            if let key, looksSecret(key) { return masked }
            return looksSecret(value: string) ? masked : maskingURLPasswords(string)
        default:
            return value
        }
    }
}
