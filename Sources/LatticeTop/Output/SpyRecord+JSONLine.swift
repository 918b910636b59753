import LatticeSpy

extension JSONLineWriter {
    /// One `SpyRecord` as a JSON object — the same bytes as `SpyNDJSON.line(record)` sanitised
    /// with `SafeText` — members in the sorted order `JSONEncoder` (`.sortedKeys`) uses.
    mutating func record(_ r: SpyRecord) {
        beginObject()
        key("attribution"); string(r.attribution.rawValue)
        key("call"); int(r.call)
        key("event"); string(r.event)
        key("function"); string(r.function)
        if let v = r.handshakeMs { key("handshake_ms"); double(v) }
        if let headers = r.headers {
            key("headers")
            beginObject()
            for name in JSONLineWriter.sortedKeys(headers.keys) {
                key(name)
                beginArray()
                for value in headers[name] ?? [] { element(value) }
                endArray()
            }
            endObject()
        }
        key("instance"); string(r.instance)
        key("kind"); string(r.kind.rawValue)
        key("lattice"); string(r.lattice)
        if let v = r.linkName { key("link_name"); string(v) }
        key("outcome"); string(r.outcome.rawValue)
        if let v = r.payloadBase64 { key("payload_base64"); string(v) }
        if let v = r.payloadPrefixBase64 { key("payload_prefix_base64"); string(v) }
        key("preview"); string(r.preview)
        key("preview_bytes"); int(r.previewBytes)
        key("preview_kind"); string(r.previewKind.rawValue)
        if let v = r.reply { key("reply"); string(v) }
        if let v = r.resultsMs { key("results_ms"); double(v) }
        key("seq"); int(r.sequence)
        key("size"); int(r.size)
        if let v = r.source { key("source"); string(v) }
        if let v = r.status { key("status"); int(v) }
        key("subject"); string(r.subject)
        key("target"); string(r.target)
        if let v = r.targetID { key("target_id"); string(v) }
        key("time"); string(r.time)
        if let v = r.traceparent { key("traceparent"); string(v) }
        key("truncated"); bool(r.truncated)
        endObject()
    }
}
