import Foundation
import Logging

/// A swift-log handler that appends one line per message to a file, written on a queue of its
/// own so the caller (the UI thread among them) never waits for the disk. The file is opened
/// once, created with mode 0600 (log lines can name lattices and hosts), and shared by every
/// logger made from the same `LogFile`.
public struct FileLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let file: LogFile

    public init(label: String, file: LogFile, level: Logger.Level) {
        self.label = label
        self.file = file
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        file.append("\(LogFile.timestamp(Date())) \(event.level.rawValue.uppercased()) [\(label)] \(event.message)\(fields)\n")
    }
}

/// The log file behind `FileLogHandler`: an append-only descriptor and a serial queue.
public final class LogFile: Sendable {
    public let path: String
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "latticetop.log")

    /// Opens (creating folders and the file) `path` for appending.
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LogFileError(message: "cannot open the log file \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    func append(_ line: String) {
        queue.async { [descriptor] in
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }   // disk full or the file gone: logging never stops the app
                offset += written
            }
            bytes.removeAll()
        }
    }

    /// Waits until every line appended so far is written (tests, and before the process exits).
    public func flush() { queue.sync {} }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

public struct LogFileError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
