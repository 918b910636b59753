import Foundation

/// A wash context file (`<name>.json` in wash's contexts directory), the keys latticetop uses.
public struct WashContext: Codable, Equatable, Sendable {
    public var name: String?
    public var ctlHost: String?
    public var ctlPort: Int?
    public var ctlJWT: String?
    public var ctlSeed: String?
    public var ctlCredsFile: String?
    public var ctlTimeout: Int?
    public var ctlTLSCAFile: String?
    public var ctlTopicPrefix: String?
    public var lattice: String?
    public var jsDomain: String?

    enum CodingKeys: String, CodingKey {
        case name
        case ctlHost = "ctl_host"
        case ctlPort = "ctl_port"
        case ctlJWT = "ctl_jwt"
        case ctlSeed = "ctl_seed"
        case ctlCredsFile = "ctl_credsfile"
        case ctlTimeout = "ctl_timeout"
        case ctlTLSCAFile = "ctl_tls_ca_file"
        case ctlTopicPrefix = "ctl_topic_prefix"
        case lattice
        case latticePrefix = "lattice_prefix"
        case jsDomain = "js_domain"
    }

    public init(name: String? = nil, ctlHost: String? = nil, ctlPort: Int? = nil, ctlJWT: String? = nil,
                ctlSeed: String? = nil, ctlCredsFile: String? = nil, ctlTimeout: Int? = nil,
                ctlTLSCAFile: String? = nil, ctlTopicPrefix: String? = nil, lattice: String? = nil, jsDomain: String? = nil) {
        self.name = name
        self.ctlHost = ctlHost
        self.ctlPort = ctlPort
        self.ctlJWT = ctlJWT
        self.ctlSeed = ctlSeed
        self.ctlCredsFile = ctlCredsFile
        self.ctlTimeout = ctlTimeout
        self.ctlTLSCAFile = ctlTLSCAFile
        self.ctlTopicPrefix = ctlTopicPrefix
        self.lattice = lattice
        self.jsDomain = jsDomain
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        ctlHost = try c.decodeIfPresent(String.self, forKey: .ctlHost)
        ctlPort = try Self.flexibleInt(c, .ctlPort)
        ctlJWT = try c.decodeIfPresent(String.self, forKey: .ctlJWT)
        ctlSeed = try c.decodeIfPresent(String.self, forKey: .ctlSeed)
        ctlCredsFile = try c.decodeIfPresent(String.self, forKey: .ctlCredsFile)
        ctlTimeout = try Self.flexibleInt(c, .ctlTimeout)
        ctlTLSCAFile = try c.decodeIfPresent(String.self, forKey: .ctlTLSCAFile)
        ctlTopicPrefix = try c.decodeIfPresent(String.self, forKey: .ctlTopicPrefix)
        lattice = try c.decodeIfPresent(String.self, forKey: .lattice)
            ?? c.decodeIfPresent(String.self, forKey: .latticePrefix)
        jsDomain = try c.decodeIfPresent(String.self, forKey: .jsDomain)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(ctlHost, forKey: .ctlHost)
        try c.encodeIfPresent(ctlPort, forKey: .ctlPort)
        try c.encodeIfPresent(ctlJWT, forKey: .ctlJWT)
        try c.encodeIfPresent(ctlSeed, forKey: .ctlSeed)
        try c.encodeIfPresent(ctlCredsFile, forKey: .ctlCredsFile)
        try c.encodeIfPresent(ctlTimeout, forKey: .ctlTimeout)
        try c.encodeIfPresent(ctlTLSCAFile, forKey: .ctlTLSCAFile)
        try c.encodeIfPresent(ctlTopicPrefix, forKey: .ctlTopicPrefix)
        try c.encodeIfPresent(lattice, forKey: .lattice)
        try c.encodeIfPresent(jsDomain, forKey: .jsDomain)
    }

    /// wash writes ports and timeouts as numbers; accept strings too.
    private static func flexibleInt(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int? {
        if let i = try? c.decodeIfPresent(Int.self, forKey: key) { return i }
        if let s = try? c.decodeIfPresent(String.self, forKey: key) {
            guard let i = Int(s) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected a number, got \"\(s)\"")
            }
            return i
        }
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        throw DecodingError.typeMismatch(Int.self, DecodingError.Context(
            codingPath: c.codingPath + [key], debugDescription: "expected a number"))
    }
}

/// Finds and reads wash contexts the way wash does.
public struct WashContextStore: Sendable {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notFound(name: String, searched: [String])
        case invalid(file: String, detail: String)

        public var description: String {
            switch self {
            case .notFound(let name, let searched):
                return "wash context '\(name)' not found (looked in \(searched.joined(separator: ", ")))"
            case .invalid(let file, let detail):
                return "invalid wash context \(file): \(detail)"
            }
        }
    }

    /// Directories searched, in order.
    public let directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// wash's directories: `$WASH_CONTEXT_DIR`, else `$WASH_CONFIG_DIR/contexts`, else
    /// `$XDG_CONFIG_HOME/wash/contexts` (default `~/.config/wash/contexts`), then the 1.0-era
    /// `~/.wash/contexts`.
    public init(environment: [String: String]) {
        if let dir = environment["WASH_CONTEXT_DIR"], !dir.isEmpty {
            self.init(directories: [dir])
            return
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        var dirs: [String] = []
        if let config = environment["WASH_CONFIG_DIR"], !config.isEmpty { dirs.append(config + "/contexts") }
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        dirs.append(xdg + "/wash/contexts")
        dirs.append(home + "/.wash/contexts")
        self.init(directories: dirs)
    }

    /// The named context, or the default one (named by the file `default`) when `name` is nil.
    /// Nil when no name was asked for and there is no default context.
    public func load(_ name: String?) throws(Failure) -> WashContext? {
        let wanted: String
        if let name {
            wanted = name
        } else {
            guard let defaultName = defaultContextName() else { return nil }
            wanted = defaultName
        }
        for dir in directories {
            let file = dir + "/" + wanted + ".json"
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            return try Self.decode(data, file: file)
        }
        if name == nil { return nil }
        throw .notFound(name: wanted, searched: directories)
    }

    /// Decodes the contents of the context file `file` (named in the error).
    public static func decode(_ data: Data, file: String) throws(Failure) -> WashContext {
        do {
            return try JSONDecoder().decode(WashContext.self, from: data)
        } catch {
            throw .invalid(file: file, detail: describe(error, in: data))
        }
    }

    /// Names of all contexts found.
    public func names() -> [String] {
        var out = Set<String>()
        for dir in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".json") { out.insert(String(f.dropLast(5))) }
        }
        return out.sorted()
    }

    func defaultContextName() -> String? {
        for dir in directories {
            if let text = try? String(contentsOfFile: dir + "/default", encoding: .utf8) {
                let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !name.isEmpty { return name }
            }
        }
        return nil
    }

    /// A decoding error as one line, starting with the line number: where the JSON parser
    /// stopped, or where the offending key is.
    static func describe(_ error: any Error, in data: Data) -> String {
        switch error {
        case DecodingError.dataCorrupted(let ctx) where ctx.codingPath.isEmpty:
            if let offset = syntaxErrorOffset(data) {
                return "line \(line(atOffset: offset, in: data)): not valid JSON"
            }
            return ctx.debugDescription
        case DecodingError.typeMismatch(_, let ctx) where ctx.codingPath.isEmpty:
            let start = data.firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } ?? data.endIndex
            return "line \(line(atOffset: start - data.startIndex, in: data)): a wash context must be a JSON object"
        case DecodingError.dataCorrupted(let ctx), DecodingError.typeMismatch(_, let ctx),
             DecodingError.valueNotFound(_, let ctx), DecodingError.keyNotFound(_, let ctx):
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            let at = ctx.codingPath.first.flatMap { keyLine($0.stringValue, in: data) }.map { "line \($0): " } ?? ""
            return "\(at)\(path): \(ctx.debugDescription)"
        default:
            return String(describing: error)
        }
    }

    /// The 1-based line holding byte `offset`.
    static func line(atOffset offset: Int, in data: Data) -> Int {
        data.prefix(max(0, offset)).reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The line of the first `"key":` in `data` (context files are flat objects), nil if absent.
    static func keyLine(_ key: String, in data: Data) -> Int? {
        let bytes = [UInt8](data)
        let quoted = Array("\"\(key)\"".utf8)
        guard bytes.count >= quoted.count else { return nil }
        var i = 0
        while i + quoted.count <= bytes.count {
            if bytes[i] == quoted[0] && Array(bytes[i..<(i + quoted.count)]) == quoted {
                var j = i + quoted.count
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: ":") { return line(atOffset: i, in: data) }
            }
            i += 1
        }
        return nil
    }

    /// The byte offset of a JSON syntax error, as Foundation's parser reports it (an index in
    /// the user info, or "around character N" in the description).
    static func syntaxErrorOffset(_ data: Data) -> Int? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let info = (error as NSError).userInfo
            if let index = info["NSJSONSerializationErrorIndex"] as? Int { return index }
            let text = (info["NSDebugDescription"] as? String) ?? ""
            guard let r = text.range(of: "character ") else { return nil }
            return Int(text[r.upperBound...].prefix { $0.isNumber })
        }
    }
}
