import CNATS
import Foundation

/// A message as a JetStream stream stored it.
public struct NATSStoredMessage: Sendable, Equatable {
    public var subject: String
    public var data: Data
    /// Its sequence number in the stream.
    public var sequence: UInt64
    /// When the server stored it.
    public var time: Date
    /// Messages matching the read's filter that were still after this one when it was delivered.
    public var pending: UInt64

    public init(subject: String, data: Data, sequence: UInt64, time: Date, pending: UInt64) {
        self.subject = subject
        self.data = data
        self.sequence = sequence
        self.time = time
        self.pending = pending
    }
}

extension NATSStreams {
    /// Reads a stream's messages in order through an ephemeral pull consumer (no acks; the server
    /// forgets it when the read ends, or a minute after a reader that went away): those on
    /// `filterSubject` (nil: all), stored at or after `start` (nil: from the first) or after
    /// sequence `afterSequence`, up to and including `lastSequence` (later ones are left for a
    /// live subscription). Each batch goes to
    /// `body`, which returns false to stop early. Returns how many messages were read.
    ///
    /// `.timeout` when the server stops delivering before the end; `.status` when the stream does
    /// not exist or refuses the consumer.
    @discardableResult
    public func read(_ stream: String, filterSubject: String? = nil, from start: Date? = nil, afterSequence: UInt64? = nil,
                     through lastSequence: UInt64,
                     batchSize: Int = 256, fetchTimeout: Duration = .seconds(5),
                     _ body: @Sendable ([NATSStoredMessage]) async -> Bool) async throws(NATSError) -> Int {
        guard lastSequence > 0, lastSequence > (afterSequence ?? 0) else { return 0 }
        let js = JSPointer(pointer: self.js)
        let (subscription, pending) = try await JetStreamContext.blocking { () throws(NATSError) -> (SubscriptionPointer, UInt64) in
            try Self.pullSubscribe(js, stream: stream, filter: filterSubject ?? ">", start: start, afterSequence: afterSequence)
        }
        defer {
            let sub = subscription
            DispatchQueue.global().async {
                natsSubscription_Unsubscribe(sub.pointer)
                natsSubscription_Destroy(sub.pointer)
            }
        }
        guard pending > 0 else { return 0 }
        var read = 0
        while true {
            let batch = try await JetStreamContext.blocking { () throws(NATSError) -> [NATSStoredMessage] in
                try Self.fetch(subscription, batch: max(1, batchSize), timeout: fetchTimeout)
            }
            let kept = batch.filter { $0.sequence <= lastSequence }
            read += kept.count
            if !kept.isEmpty, await !body(kept) { return read }
            guard let last = batch.last else { throw .timeout }
            if last.sequence >= lastSequence || last.pending == 0 || kept.count < batch.count { return read }
        }
    }

    private static func pullSubscribe(_ js: JSPointer, stream: String, filter: String, start: Date?,
                                      afterSequence: UInt64?) throws(NATSError) -> (SubscriptionPointer, UInt64) {
        var options = jsSubOptions()
        try NATSKit.check(jsSubOptions_Init(&options))
        let streamName = strdup(stream)
        defer { free(streamName) }
        options.Stream = UnsafePointer(streamName)
        options.Config.AckPolicy = js_AckNone
        if let afterSequence {
            options.Config.DeliverPolicy = js_DeliverByStartSequence
            options.Config.OptStartSeq = afterSequence + 1
        } else if let start {
            options.Config.DeliverPolicy = js_DeliverByStartTime
            options.Config.OptStartTime = max(1, Int64(start.timeIntervalSince1970 * 1e9))
        } else {
            options.Config.DeliverPolicy = js_DeliverAll
        }
        options.Config.InactiveThreshold = 60_000_000_000
        var sub: OpaquePointer?
        var code = jsErrCode(0)
        let status = js_PullSubscribe(&sub, js.pointer, filter, nil, nil, &options, &code)
        try checkJS(status, code, "read stream \(stream)")
        guard let sub else { throw .status(code: -1, detail: "no subscription for stream \(stream)") }
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        let infoStatus = natsSubscription_GetConsumerInfo(&info, sub, nil, &code)
        defer { if let info { jsConsumerInfo_Destroy(info) } }
        guard infoStatus == NATS_OK, let info else {
            natsSubscription_Unsubscribe(sub)
            natsSubscription_Destroy(sub)
            try checkJS(infoStatus == NATS_OK ? NATS_ERR : infoStatus, code, "consumer info of stream \(stream)")
            throw .status(code: -1, detail: "no consumer info")
        }
        return (SubscriptionPointer(pointer: sub), info.pointee.NumPending)
    }

    private static func fetch(_ sub: SubscriptionPointer, batch: Int, timeout: Duration) throws(NATSError) -> [NATSStoredMessage] {
        var list = natsMsgList()
        var code = jsErrCode(0)
        let status = natsSubscription_Fetch(&list, sub.pointer, Int32(batch), timeout.milliseconds, &code)
        defer { natsMsgList_Destroy(&list) }
        if status == NATS_TIMEOUT && list.Count == 0 { return [] }
        try checkJS(status, code, "fetch")
        var out: [NATSStoredMessage] = []
        out.reserveCapacity(Int(list.Count))
        for i in 0..<Int(list.Count) {
            guard let m = list.Msgs[i] else { continue }
            var meta: UnsafeMutablePointer<jsMsgMetaData>?
            guard natsMsg_GetMetaData(&meta, m) == NATS_OK, let meta else { continue }
            defer { jsMsgMetaData_Destroy(meta) }
            let n = Int(natsMsg_GetDataLength(m))
            let data = n > 0 ? natsMsg_GetData(m).map { Data(bytes: $0, count: n) } ?? Data() : Data()
            out.append(NATSStoredMessage(subject: String(cString: natsMsg_GetSubject(m)), data: data,
                                         sequence: meta.pointee.Sequence.Stream,
                                         time: Date(timeIntervalSince1970: Double(meta.pointee.Timestamp) / 1e9),
                                         pending: meta.pointee.NumPending))
        }
        return out
    }
}

/// A cnats subscription handed to blocking calls.
struct SubscriptionPointer: @unchecked Sendable {
    let pointer: OpaquePointer
}
