import Foundation

/// One stored message without its bytes: what the store keeps per message (the bytes are in
/// the store's arena). Becomes a `SpyMessage` only when someone reads it.
struct SpySlot: Sendable {
    var callSequence: UInt64
    var time: Date
    var site: SpyCallSite
    var handshakeNanos: Int64 = -1
    var resultsNanos: Int64 = -1
    /// Where the bytes start in the arena.
    var byteOffset: UInt32 = 0
    var size32: UInt32
    var subjectLength: UInt16 = 0
    var replyLength: UInt16 = 0
    var payloadLength: UInt16 = 0
    var statusCode: UInt16
    var traceLength: UInt8 = 0
    var kind: SpyMessageKind
    var attribution: SpyAttribution
    var outcome: SpyOutcome

    init(callSequence: UInt64, time: Date, site: SpyCallSite, size: Int, statusCode: UInt16, kind: SpyMessageKind,
         attribution: SpyAttribution, outcome: SpyOutcome) {
        self.callSequence = callSequence
        self.time = time
        self.site = site
        self.size32 = UInt32(clamping: size)
        self.statusCode = statusCode
        self.kind = kind
        self.attribution = attribution
        self.outcome = outcome
    }

    var byteCount: Int { Int(subjectLength) + Int(replyLength) + Int(traceLength) + Int(payloadLength) }

    mutating func setLengths(_ span: SpyByteSpan, withSubject: Bool) {
        subjectLength = withSubject ? span.subjectLength : 0
        replyLength = span.replyLength
        traceLength = span.traceLength
        payloadLength = span.payloadLength
    }

    /// The public value, its bytes copied from `bytes` (this slot's, `byteCount` long).
    func message(sequence: UInt64, bytes: UnsafeRawBufferPointer) -> SpyMessage {
        var m = SpyMessage(
            sequence: sequence, time: time, kind: kind, site: site, size: Int(size32), attribution: attribution,
            callSequence: callSequence, outcome: outcome, statusCode: statusCode,
            bytes: SpyMessageBytes(copying: bytes, subjectLength: subjectLength, replyLength: replyLength, traceLength: traceLength))
        m.handshakeNanos = handshakeNanos
        m.resultsNanos = resultsNanos
        return m
    }
}

/// The ring of stored messages: fixed-capacity records addressed by absolute position (the
/// n-th message ever stored is position n) and ONE preallocated byte arena for their bytes,
/// used as a circular buffer in storage order. Nothing is allocated per message. The oldest
/// messages go when `capacity` is reached, or earlier when the arena (sized for `capacity`
/// messages of `bytesPerMessage` on average) needs their bytes.
struct SpyMessageStore: Sendable {
    let capacity: Int
    private var records: ContiguousArray<SpySlot> = []
    private var arena: [UInt8]
    /// Next free arena offset.
    private var writeOffset = 0
    /// The newest bytes were written at the start while older ones are still held at the end.
    private var wrapped = false
    /// Absolute position of the oldest message held, and one past the newest.
    private(set) var firstPosition: UInt64 = 0
    private(set) var totalAppended: UInt64 = 0

    init(capacity: Int, bytesPerMessage: Int) {
        self.capacity = max(1, capacity)
        let arenaBytes = max(self.capacity * max(1, bytesPerMessage), 1 << 18)
        // Not zero-filled: pages become resident only once messages are written to them, and
        // only bytes written are ever read.
        let n = min(arenaBytes, Int(UInt32.max))
        arena = [UInt8](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        records.reserveCapacity(min(self.capacity, 1 << 20))
    }

    var count: Int { Int(totalAppended - firstPosition) }
    var isEmpty: Bool { count == 0 }
    /// Messages dropped to make room so far.
    var overwritten: UInt64 { firstPosition }

    private func index(_ position: UInt64) -> Int { Int(position % UInt64(capacity)) }

    private func held(_ position: UInt64) -> Bool { position >= firstPosition && position < totalAppended }

    /// Stores a message with the bytes of `span` in `source` (without the subject unless
    /// `withSubject`); returns its position.
    @discardableResult
    mutating func append(_ slot: SpySlot, bytes source: UnsafeRawBufferPointer, span: SpyByteSpan, withSubject: Bool) -> UInt64 {
        var slot = slot
        slot.setLengths(span, withSubject: withSubject)
        let range = withSubject ? span.all : span.afterSubject
        let length = min(range.count, arena.count / 2)
        if count == capacity { dropOldest() }
        let at = allocate(length)
        slot.byteOffset = UInt32(at)
        if length > 0 {
            arena.withUnsafeMutableBytes { a in
                a.baseAddress!.advanced(by: at).copyMemory(from: source.baseAddress!.advanced(by: range.lowerBound), byteCount: length)
            }
        }
        let position = totalAppended
        if records.count < capacity {
            records.append(slot)
        } else {
            records[index(position)] = slot
        }
        totalAppended += 1
        return position
    }

    /// Stores a message whose bytes are given whole (replies brought back from the early table).
    @discardableResult
    mutating func append(_ slot: SpySlot, owned bytes: [UInt8], span: SpyByteSpan, withSubject: Bool) -> UInt64 {
        bytes.withUnsafeBytes { append(slot, bytes: $0, span: span, withSubject: withSubject) }
    }

    /// Arena space for `length` bytes: at the start once the oldest message's bytes leave room
    /// there (so the arena in use stays about as big as the bytes held), else after the newest;
    /// the oldest messages go when neither fits. Held bytes are `[oldest, writeOffset)`, or once
    /// wrapped `[oldest, end of the older run) + [0, writeOffset)`.
    private mutating func allocate(_ length: Int) -> Int {
        while true {
            if isEmpty {
                writeOffset = 0
                wrapped = false
            }
            if length == 0 { return writeOffset }
            let oldest = isEmpty ? 0 : Int(records[index(firstPosition)].byteOffset)
            var at: Int?
            if isEmpty {
                at = 0
            } else if !wrapped {
                if length <= oldest {
                    at = 0
                    wrapped = true
                } else if writeOffset + length <= arena.count {
                    at = writeOffset
                }
            } else if writeOffset + length <= oldest {
                at = writeOffset
            }
            if let at {
                writeOffset = at + length
                return at
            }
            dropOldest()
        }
    }

    private mutating func dropOldest() {
        guard !isEmpty else { return }
        let before = records[index(firstPosition)].byteOffset
        firstPosition += 1
        // The oldest is now in the run written after the wrap: nothing held lies beyond it.
        if wrapped && !isEmpty && records[index(firstPosition)].byteOffset < before { wrapped = false }
    }

    /// The record at `position` and its bytes, if still held.
    func withSlot<R>(_ position: UInt64, _ body: (SpySlot, UnsafeRawBufferPointer) -> R) -> R? {
        guard held(position) else { return nil }
        let slot = records[index(position)]
        return arena.withUnsafeBytes { a in
            body(slot, UnsafeRawBufferPointer(rebasing: a[Int(slot.byteOffset)..<(Int(slot.byteOffset) + slot.byteCount)]))
        }
    }

    subscript(position position: UInt64) -> SpyMessage? {
        withSlot(position) { slot, bytes in slot.message(sequence: position, bytes: bytes) }
    }

    /// Changes the record at `position` in place if it is still held.
    @discardableResult
    mutating func update(position: UInt64, _ body: (inout SpySlot) -> Void) -> Bool {
        guard held(position) else { return false }
        body(&records[index(position)])
        return true
    }

    var last: SpyMessage? { totalAppended == 0 || isEmpty ? nil : self[position: totalAppended - 1] }

    /// Every message held, oldest first (matching `route` when given).
    func messages(where keep: (SpyRoute) -> Bool = { _ in true }) -> [SpyMessage] {
        var out: [SpyMessage] = []
        var p = firstPosition
        while p < totalAppended {
            if keep(records[index(p)].site.route), let m = self[position: p] { out.append(m) }
            p += 1
        }
        return out
    }

    /// The newest messages whose route passes `keep`, at most `limit`, ending at `endingAt`
    /// (default: the newest), oldest first. Only those are built.
    func newest(limit: Int, endingAt: UInt64?, where keep: (SpyRoute) -> Bool) -> [SpyMessage] {
        guard limit > 0, !isEmpty else { return [] }
        var out: [SpyMessage] = []
        out.reserveCapacity(min(limit, count))
        var p = min(endingAt ?? (totalAppended - 1), totalAppended - 1)
        guard p >= firstPosition else { return [] }
        while true {
            if keep(records[index(p)].site.route), let m = self[position: p] {
                out.append(m)
                if out.count >= limit { break }
            }
            if p == firstPosition { break }
            p -= 1
        }
        out.reverse()
        return out
    }
}
