import Foundation

/// One line of the audit log: a mutation sent from latticetop and how it ended.
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    public var context: String?
    public var lattice: String
    public var subject: String
    /// The request body with secrets masked (`OperateAction.maskedBody()`).
    public var body: String
    public var outcome: String

    public init(time: Date, context: String?, lattice: String, subject: String, body: String, outcome: String) {
        self.time = time
        self.context = context
        self.lattice = lattice
        self.subject = subject
        self.body = body
        self.outcome = outcome
    }

    /// Tab-separated: time (RFC 3339 UTC, milliseconds), context (`-` when none), lattice,
    /// subject, outcome, body. Tabs and line breaks inside fields are escaped, so one
    /// mutation is always exactly one line.
    public var line: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return [formatter.string(from: time), context ?? "-", lattice, subject, outcome, body]
            .map(Self.escape).joined(separator: "\t")
    }

    static func escape(_ field: String) -> String {
        var out = ""
        for c in field {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out.isEmpty ? "-" : out
    }
}

/// The append-only audit log, `$XDG_STATE_HOME/latticetop/audit.log` (default
/// `~/.local/state/latticetop/audit.log`). Each append opens the file with `O_APPEND`, so
/// concurrent latticetops interleave whole lines.
public struct AuditLog: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public static func defaultPath(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        return state + "/latticetop/audit.log"
    }

    public func append(_ entry: AuditEntry) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AuditLogError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        let bytes = Array((entry.line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != bytes.count { throw AuditLogError.cannotWrite(path: path, errno: errno) }
    }
}

public enum AuditLogError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, errno: Int32)
    case cannotWrite(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let e): return "cannot open the audit log \(path): \(String(cString: strerror(e)))"
        case .cannotWrite(let path, let e): return "cannot write the audit log \(path): \(String(cString: strerror(e)))"
        }
    }
}
