import Foundation
import LatticeProtocol

/// A link being written in the add/edit form: the fields as typed, the link it replaces (when
/// editing), and the host's last answer when a put was refused. Pure: it turns into a `Link` or
/// a list of problems, and never talks to the lattice.
public struct LinkDraft: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable, Hashable {
        case source, target, name, namespace, package, interfaces, sourceConfig, targetConfig

        public var label: String {
            switch self {
            case .source: return "source"
            case .target: return "target"
            case .name: return "link name"
            case .namespace: return "WIT namespace"
            case .package: return "WIT package"
            case .interfaces: return "interfaces"
            case .sourceConfig: return "source config"
            case .targetConfig: return "target config"
            }
        }

        /// Shown under the field while it is empty.
        public var placeholder: String {
            switch self {
            case .source: return "component or provider ID"
            case .target: return "component or provider ID"
            case .name: return Link.defaultName
            case .namespace: return "e.g. wasi (or paste wasi:http/incoming-handler)"
            case .package: return "e.g. http"
            case .interfaces: return "comma-separated, e.g. incoming-handler"
            case .sourceConfig, .targetConfig: return "named config, comma-separated"
            }
        }

        /// The form field's ID.
        public var id: String { "link.\(self)" }

        public init?(id: String) {
            guard let f = Self.allCases.first(where: { $0.id == id }) else { return nil }
            self = f
        }

        /// A line under the field.
        public var help: String {
            switch self {
            case .source: return "what calls (→ completes from what runs)"
            case .target: return "what is called"
            case .name: return "several links of one WIT package need distinct names"
            case .namespace: return "→ completes from links, hosts and spied traffic"
            case .package: return "→ completes from the namespace's packages"
            case .interfaces: return "→ completes from the package's interfaces"
            case .sourceConfig: return "config the source gets for this link"
            case .targetConfig: return "config the target gets for this link"
            }
        }

        /// Fields holding several comma-separated values.
        public var isList: Bool { self == .interfaces || self == .sourceConfig || self == .targetConfig }
    }

    public var values: [Field: String]
    /// The link being edited (nil: a new link).
    public var original: Link?
    /// The host's refusal of the last attempt (or a timeout): the draft stays open with it.
    public var hostMessage: String?

    /// An empty draft for a new link (link name `default`).
    public init() {
        values = [.name: Link.defaultName]
    }

    /// A draft prefilled from an existing link, to edit it.
    public init(editing link: Link) {
        values = [
            .source: link.sourceID, .target: link.target, .name: link.name, .namespace: link.witNamespace,
            .package: link.witPackage, .interfaces: link.interfaces.joined(separator: ","),
            .sourceConfig: link.sourceConfig.joined(separator: ","), .targetConfig: link.targetConfig.joined(separator: ","),
        ]
        original = link
    }

    public subscript(field: Field) -> String {
        get { values[field] ?? "" }
        set { values[field] = newValue }
    }

    public var isEdit: Bool { original != nil }

    /// A whole WIT reference typed into the namespace or package field (`wasi:http`,
    /// `wasi:http/incoming-handler,outgoing-handler`, `wasi:http@0.2.0`) is spread over the
    /// namespace, package and interfaces fields; versions are dropped (links carry none).
    public mutating func spreadWITReference() {
        for field in [Field.namespace, .package] {
            let text = self[field].trimmed
            guard text.contains(":") else { continue }
            let (ns, rest) = text.split(at: ":")
            let (pkgWithVersion, ifaces) = rest.split(at: "/")
            let pkg = pkgWithVersion.split(at: "@").0
            self[.namespace] = ns
            self[.package] = pkg
            if !ifaces.isEmpty {
                self[.interfaces] = ifaces.split(separator: ",").map { String($0).split(at: "@").0.trimmed }
                    .filter { !$0.isEmpty }.joined(separator: ",")
            }
            return
        }
    }

    /// The comma (or space) separated items of a list field, trimmed, empty ones dropped, in order,
    /// without repeats.
    public func items(_ field: Field) -> [String] {
        var seen = Set<String>()
        return self[field].split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).trimmed }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The link the draft describes (whether or not it is valid).
    public var link: Link {
        let name = self[.name].trimmed
        return Link(sourceID: self[.source].trimmed, target: self[.target].trimmed, name: name.isEmpty ? Link.defaultName : name,
                    witNamespace: self[.namespace].trimmed, witPackage: self[.package].trimmed, interfaces: items(.interfaces),
                    sourceConfig: items(.sourceConfig), targetConfig: items(.targetConfig))
    }

    /// Checks the draft against what the lattice is known to hold. Errors block sending;
    /// warnings are shown and the user may send anyway (the host has the last word).
    public func validate(against vocabulary: LinkVocabulary) -> [LinkProblem] {
        var problems: [LinkProblem] = []
        let link = self.link
        func error(_ field: Field, _ message: String) { problems.append(LinkProblem(field: field, message: message, isError: true)) }
        func warning(_ field: Field, _ message: String) { problems.append(LinkProblem(field: field, message: message, isError: false)) }

        for (field, id) in [(Field.source, link.sourceID), (.target, link.target)] {
            if id.isEmpty { error(field, "\(field.label) is required") } else if let bad = Self.badCharacter(in: id) {
                error(field, "\(field.label) must not contain \(bad)")
            } else if vocabulary.knowsWorkloads && !vocabulary.workloadIDs.contains(id) {
                warning(field, "\(id) runs on no host (the link waits until it does)")
            }
        }
        if !link.sourceID.isEmpty && link.sourceID == link.target { warning(.target, "source and target are the same") }
        if let bad = Self.badCharacter(in: link.name) { error(.name, "link name must not contain \(bad)") }
        for (field, value) in [(Field.namespace, link.witNamespace), (.package, link.witPackage)] {
            if value.isEmpty { error(field, "\(field.label) is required") } else if !Self.isWITIdentifier(value) {
                error(field, "\(field.label) '\(value)' is not a WIT name (lowercase words joined by '-')")
            }
        }
        if link.interfaces.isEmpty { error(.interfaces, "at least one interface is required") }
        for i in link.interfaces where !Self.isWITIdentifier(i) {
            error(.interfaces, "interface '\(i)' is not a WIT name (lowercase words joined by '-')")
        }
        for field in [Field.sourceConfig, .targetConfig] {
            for name in items(field) {
                if let bad = Self.badConfigCharacter(in: name) {
                    error(field, "config name '\(name)' must not contain \(bad)")
                } else if vocabulary.configNamesKnown && !vocabulary.configNames.contains(name) {
                    warning(field, SecretReference.isReference(name)
                        ? "secret reference '\(name)' is not in the config store: the host will refuse the link until it is"
                        : "config '\(name)' does not exist: the host will refuse the link until it does")
                }
            }
        }
        if let clash = vocabulary.links.first(where: { other in
            other.sourceID == link.sourceID && other.witNamespace == link.witNamespace && other.witPackage == link.witPackage
                && other.name == link.name && other.target != link.target && !Set(other.interfaces).isDisjoint(with: link.interfaces)
                && other != original
        }) {
            warning(.target, "\(clash.sourceID) already links \(clash.witNamespace):\(clash.witPackage) as '\(clash.name)' to "
                + "\(clash.target): the host refuses a second target (use another link name)")
        }
        if let original, original == link { error(.source, "nothing changed") }
        return problems
    }

    // MARK: - Rules

    /// A WIT identifier: words of letters and digits starting with a letter, joined by single
    /// '-' (WIT allows an all-caps word too).
    static func isWITIdentifier(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        return s.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { word in
            guard let first = word.first, first.isASCII, first.isLetter else { return false }
            let alnum = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            return alnum && (word.allSatisfy { !$0.isUppercase } || word.allSatisfy { !$0.isLowercase })
        }
    }

    /// What is wrong with an ID or link name: whitespace or control characters.
    static func badCharacter(in s: String) -> String? {
        if s.contains(where: { $0.isWhitespace }) { return "spaces" }
        if s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "control characters" }
        return nil
    }

    /// Config names are NATS subject tokens (`config.put.{name}`).
    static func badConfigCharacter(in s: String) -> String? {
        if let bad = badCharacter(in: s) { return bad }
        if let c = s.first(where: { $0 == "." || $0 == "*" || $0 == ">" }) { return "'\(c)'" }
        return nil
    }
}

/// Something wrong with a draft, tied to the field to fix.
public struct LinkProblem: Sendable, Equatable {
    public var field: LinkDraft.Field
    public var message: String
    /// Errors block sending; warnings do not.
    public var isError: Bool
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The parts before and after the first `separator` (all of it and "" when absent).
    func split(at separator: Character) -> (String, String) {
        guard let i = firstIndex(of: separator) else { return (self, "") }
        return (String(self[..<i]), String(self[index(after: i)...]))
    }
}
