import Foundation

/// Saves and reads captured messages as NDJSON: one `SpyRecord` object per line.
public enum SpyNDJSON {
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// One line, without the newline.
    public static func line(_ record: SpyRecord) throws -> String {
        String(decoding: try makeEncoder().encode(record), as: UTF8.self)
    }

    /// Writes `records` to `url` (replacing it); returns how many.
    @discardableResult
    public static func write(_ records: [SpyRecord], to url: URL) throws -> Int {
        let encoder = makeEncoder()
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = Data()
        for record in records {
            buffer.append(try encoder.encode(record))
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        return records.count
    }

    /// Parses NDJSON (blank lines ignored).
    public static func read(_ data: Data) throws -> [SpyRecord] {
        let decoder = JSONDecoder()
        return try data.split(separator: 0x0A).compactMap { line in
            line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) ? nil : try decoder.decode(SpyRecord.self, from: Data(line))
        }
    }

    public static func read(contentsOf url: URL) throws -> [SpyRecord] {
        try read(Data(contentsOf: url))
    }
}

extension SpyCapture {
    /// Saves every held message (the frozen ones while paused; those matching `filter` if given)
    /// to `url` as NDJSON, with full payloads and headers where still kept. Returns how many.
    @discardableResult
    public func save(to url: URL, filter: SpyFilter? = nil) throws -> Int {
        let records = allMessages(filter: filter).map { SpyRecord($0, detail: detail(sequence: $0.sequence)) }
        return try SpyNDJSON.write(records, to: url)
    }
}
