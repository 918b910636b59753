import CNATS
import Foundation

/// What a JetStream stream records: its subjects, other streams it copies from (with a subject
/// filter), and its limits.
public struct NATSStreamConfiguration: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var stream: String
        public var filterSubject: String?

        public init(stream: String, filterSubject: String? = nil) {
            self.stream = stream
            self.filterSubject = filterSubject
        }
    }

    public var name: String
    public var description: String?
    public var subjects: [String]
    public var sources: [Source]
    /// 0: unlimited.
    public var maxAge: Duration
    /// -1: unlimited.
    public var maxBytes: Int64
    public var replicas: Int

    public init(name: String, description: String? = nil, subjects: [String], sources: [Source] = [], maxAge: Duration = .zero,
                maxBytes: Int64 = -1, replicas: Int = 1) {
        self.name = name
        self.description = description
        self.subjects = subjects
        self.sources = sources
        self.maxAge = maxAge
        self.maxBytes = maxBytes
        self.replicas = replicas
    }
}

/// A stream's configuration and state as the server reports it.
public struct NATSStreamInfo: Sendable, Equatable {
    public var configuration: NATSStreamConfiguration
    public var messages: UInt64
    public var bytes: UInt64
    public var firstSequence: UInt64
    public var lastSequence: UInt64
    /// Nil when the stream is empty.
    public var firstTime: Date?
    public var lastTime: Date?
    public var created: Date
    /// The cluster's name and the replicas' leader, when clustered.
    public var cluster: String?
    public var leader: String?
}

/// JetStream stream management (cnats' `js_AddStream` & co.), on a connection, optionally in a
/// JetStream domain. cnats' calls block, so each runs on a dispatch queue.
public final class NATSStreams: @unchecked Sendable {
    let js: OpaquePointer
    public let connection: NATSConnection

    /// A JetStream context; `timeout` bounds each API request.
    public init(_ connection: NATSConnection, domain: String? = nil, timeout: Duration = .seconds(5)) throws(NATSError) {
        js = try JetStreamContext.make(connection, domain: domain, timeout: timeout)
        self.connection = connection
    }

    deinit { jsCtx_Destroy(js) }

    /// The stream's info; nil when it does not exist. `.noResponders`/`.timeout` without JetStream.
    public func info(_ name: String) async throws(NATSError) -> NATSStreamInfo? {
        let js = JSPointer(pointer: self.js)
        return try await JetStreamContext.blocking { () throws(NATSError) -> NATSStreamInfo? in
            var si: UnsafeMutablePointer<jsStreamInfo>?
            var code = jsErrCode(0)
            let status = js_GetStreamInfo(&si, js.pointer, name, nil, &code)
            if status == NATS_NOT_FOUND { return nil }
            try Self.checkJS(status, code, "stream info \(name)")
            guard let si else { return nil }
            defer { jsStreamInfo_Destroy(si) }
            return Self.info(si.pointee)
        }
    }

    /// Creates the stream, or updates it when it exists. Returns its info and whether it was created.
    public func createOrUpdate(_ configuration: NATSStreamConfiguration) async throws(NATSError) -> (info: NATSStreamInfo, created: Bool) {
        let js = JSPointer(pointer: self.js)
        return try await JetStreamContext.blocking { () throws(NATSError) -> (info: NATSStreamInfo, created: Bool) in
            try Self.withConfig(configuration) { cfg throws(NATSError) -> (info: NATSStreamInfo, created: Bool) in
                var si: UnsafeMutablePointer<jsStreamInfo>?
                var code = jsErrCode(0)
                var existing: UnsafeMutablePointer<jsStreamInfo>?
                let lookup = js_GetStreamInfo(&existing, js.pointer, configuration.name, nil, &code)
                if let existing { jsStreamInfo_Destroy(existing) }
                let created: Bool
                let status: natsStatus
                if lookup == NATS_NOT_FOUND {
                    created = true
                    status = js_AddStream(&si, js.pointer, cfg, nil, &code)
                } else {
                    try Self.checkJS(lookup, code, "stream info \(configuration.name)")
                    created = false
                    status = js_UpdateStream(&si, js.pointer, cfg, nil, &code)
                }
                try Self.checkJS(status, code, "\(created ? "create" : "update") stream \(configuration.name)")
                guard let si else { throw .status(code: -1, detail: "no stream info returned") }
                defer { jsStreamInfo_Destroy(si) }
                return (Self.info(si.pointee), created)
            }
        }
    }

    /// Deletes the stream and what it holds; false when it did not exist.
    @discardableResult
    public func delete(_ name: String) async throws(NATSError) -> Bool {
        let js = JSPointer(pointer: self.js)
        return try await JetStreamContext.blocking { () throws(NATSError) -> Bool in
            var code = jsErrCode(0)
            let status = js_DeleteStream(js.pointer, name, nil, &code)
            if status == NATS_NOT_FOUND { return false }
            try Self.checkJS(status, code, "delete stream \(name)")
            return true
        }
    }

    // MARK: - Plumbing

    /// The server's own text for a JetStream API error (e.g. "insufficient resources", "subjects
    /// overlap with an existing stream"), with what was being done.
    static func checkJS(_ status: natsStatus, _ code: jsErrCode, _ what: String) throws(NATSError) {
        guard status != NATS_OK else { return }
        switch status {
        case NATS_TIMEOUT: throw .timeout
        case NATS_NO_RESPONDERS: throw .noResponders(subject: "$JS.API (\(what))")
        default:
            let text = NATSError.lastErrorText(status)
            throw .status(code: Int(code.rawValue), detail: "\(what): \(text)")
        }
    }

    private static func withConfig<T>(_ c: NATSStreamConfiguration,
                                      _ body: (UnsafeMutablePointer<jsStreamConfig>) throws(NATSError) -> T) throws(NATSError) -> T {
        var cfg = jsStreamConfig()
        try NATSKit.check(jsStreamConfig_Init(&cfg))
        var strings: [UnsafeMutablePointer<CChar>?] = []
        defer { strings.forEach { free($0) } }
        func keep(_ s: String) -> UnsafePointer<CChar> {
            let p = strdup(s)
            strings.append(p)
            return UnsafePointer(p!)
        }
        cfg.Name = keep(c.name)
        if let d = c.description { cfg.Description = keep(d) }
        cfg.Storage = js_FileStorage
        cfg.Retention = js_LimitsPolicy
        cfg.Discard = js_DiscardOld
        cfg.MaxAge = c.maxAge.nanoseconds
        cfg.MaxBytes = c.maxBytes
        cfg.Replicas = Int64(c.replicas)
        var subjects: [UnsafePointer<CChar>?] = c.subjects.map { keep($0) }
        var sources = c.sources.map { s -> jsStreamSource in
            var source = jsStreamSource()
            source.Name = keep(s.stream)
            if let f = s.filterSubject { source.FilterSubject = keep(f) }
            return source
        }
        return try subjects.withUnsafeMutableBufferPointer { subjectBuffer throws(NATSError) -> T in
            cfg.Subjects = subjectBuffer.isEmpty ? nil : subjectBuffer.baseAddress
            cfg.SubjectsLen = Int32(subjectBuffer.count)
            return try sources.withUnsafeMutableBufferPointer { sourceBuffer throws(NATSError) -> T in
                var pointers: [UnsafeMutablePointer<jsStreamSource>?] = (0..<sourceBuffer.count).map { sourceBuffer.baseAddress! + $0 }
                return try pointers.withUnsafeMutableBufferPointer { pointerBuffer throws(NATSError) -> T in
                    cfg.Sources = pointerBuffer.isEmpty ? nil : pointerBuffer.baseAddress
                    cfg.SourcesLen = Int32(pointerBuffer.count)
                    return try body(&cfg)
                }
            }
        }
    }

    private static func info(_ si: jsStreamInfo) -> NATSStreamInfo {
        func date(_ nanoseconds: Int64) -> Date? {
            nanoseconds > 0 ? Date(timeIntervalSince1970: Double(nanoseconds) / 1e9) : nil
        }
        func string(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }
        var configuration = NATSStreamConfiguration(name: "", subjects: [])
        if let c = si.Config?.pointee {
            configuration.name = string(c.Name) ?? ""
            configuration.description = string(c.Description)
            configuration.subjects = (0..<Int(c.SubjectsLen)).compactMap { string(c.Subjects[$0]) }
            configuration.sources = (0..<Int(c.SourcesLen)).compactMap { i in
                c.Sources[i].map { NATSStreamConfiguration.Source(stream: string($0.pointee.Name) ?? "", filterSubject: string($0.pointee.FilterSubject)) }
            }
            configuration.maxAge = .nanoseconds(c.MaxAge)
            configuration.maxBytes = c.MaxBytes
            configuration.replicas = Int(c.Replicas)
        }
        let state = si.State
        return NATSStreamInfo(configuration: configuration, messages: state.Msgs, bytes: state.Bytes, firstSequence: state.FirstSeq,
                              lastSequence: state.LastSeq, firstTime: state.Msgs > 0 ? date(state.FirstTime) : nil,
                              lastTime: state.Msgs > 0 ? date(state.LastTime) : nil,
                              created: date(si.Created) ?? Date(timeIntervalSince1970: 0),
                              cluster: si.Cluster.flatMap { string(UnsafePointer($0.pointee.Name)) },
                              leader: si.Cluster.flatMap { string(UnsafePointer($0.pointee.Leader)) })
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}
