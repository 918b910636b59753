import Foundation
import Testing
import LatticeProtocol

@Suite struct V2ProtocolTests {
    @Test func everyHeartbeatFileDecodes() throws {
        let files = try SharedFixtures.files(in: "v2-captured/heartbeat", suffix: ".json")
        #expect(files.count == 5)
        for file in files {
            let heartbeat = try V2HostHeartbeat.decode(SharedFixtures.data("v2-captured/heartbeat/\(file)"))
            #expect(heartbeat.id.count == 36, "\(file)")
            #expect(heartbeat.version == "2.10.3", "\(file)")
            #expect(heartbeat.hostGroup != nil, "\(file)")
            #expect(heartbeat.startedAtDate != nil, "\(file)")
            #expect(heartbeat.systemMemoryTotal == 25_276_059_648, "\(file)")
            #expect(!heartbeat.imports.isEmpty && !heartbeat.exports.isEmpty, "\(file)")
            // Re-encoding keeps the proto3-JSON shape and decodes to the same value.
            let again = try V2HostHeartbeat.decode(WireJSON.encode(heartbeat))
            #expect(again == heartbeat, "\(file)")
        }
    }

    @Test func heartbeatValues() throws {
        let withHTTP = try V2HostHeartbeat.decode(SharedFixtures.data("v2-captured/heartbeat/published.with-http-addr-and-environment.json"))
        #expect(withHTTP.id == "01a20ec4-8d8d-7c40-aa5b-2a0f357b888f")
        #expect(withHTTP.hostname == "research-host-1")
        #expect(withHTTP.environment == "research")
        #expect(withHTTP.httpPort == 8480)
        #expect(withHTTP.hostGroup == "default")
        #expect(withHTTP.workloadCount == 0)
        let started = try #require(withHTTP.startedAtDate?.timeIntervalSince1970)
        #expect(abs(started - 1_795_544_092.048824096) < 1e-6)

        let defaults = try V2HostHeartbeat.decode(SharedFixtures.data("v2-captured/heartbeat/published.defaults-only.json"))
        #expect(defaults.id == "01a20ec7-430e-75c2-a4d3-e830a5516572")
        #expect(defaults.httpPort == nil)
        #expect(defaults.environment == nil)

        let busy = try V2HostHeartbeat.decode(SharedFixtures.data("v2-captured/heartbeat/published.with-workloads.json"))
        #expect(busy.id == "01a20ec5-d279-7ba2-bedb-820ba1d8e3b4")
        #expect(busy.workloadCount == 6)
        #expect(busy.componentCount == 4)
        #expect(busy.systemMemoryFree == 24_312_750_080)
        #expect(busy.hostGroup == "research-group")
        #expect(busy.imports.count == 17)
        #expect(busy.imports.contains { $0.packageReference == "wasi:logging" && $0.version == nil })
        #expect(busy.exports.map(\.packageReference).contains("wasmcloud:nats@0.1.2"))
        #expect(abs(busy.systemCPUUsage - 5.499665) < 1e-9)

        let reply = try V2HostHeartbeat.decode(SharedFixtures.data("v2-captured/heartbeat/reply.to-heartbeat-request.with-workloads.json"))
        #expect(reply.workloadCount == 5 && reply.componentCount == 3)
    }

    @Test func encodingFollowsProto3JSON() throws {
        let heartbeat = V2HostHeartbeat(id: "h", labels: ["hostgroup": "default"], systemMemoryTotal: 10, workloadCount: 0)
        #expect(try WireJSON.encode(heartbeat) == Data(#"{"id":"h","labels":{"hostgroup":"default"},"systemMemoryTotal":"10"}"#.utf8))
        let numbers = try WireJSON.decode(V2HostHeartbeat.self, from: Data(#"{"id":"h","workloadCount":3,"componentCount":"2","extra":{}}"#.utf8))
        #expect(numbers.workloadCount == 3 && numbers.componentCount == 2)
        #expect(throws: DecodingError.self) { try WireJSON.decode(V2HostHeartbeat.self, from: Data(#"{"workloadCount":"lots"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try WireJSON.decode(V2HostHeartbeat.self, from: Data(#"{"workloadCount":"-1"}"#.utf8)) }
    }

    /// Every heartbeat in the captured session log (57 on 5 hosts) decodes, and its ID is the
    /// subject's last token.
    @Test func everyHeartbeatInTheSpyLogDecodes() throws {
        let log = try SharedFixtures.data("v2-captured/session.spy.jsonl")
        var count = 0
        var hosts = Set<String>()
        for line in log.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let record = try JSONValue(jsonData: Data(line))
            guard let subject = record["subject"]?.stringValue, let hostID = V2Subjects.heartbeatHostID(subject) else { continue }
            let text = try #require(record["text"]?.stringValue)
            let heartbeat = try V2HostHeartbeat.decode(Data(text.utf8))
            #expect(heartbeat.id == hostID)
            count += 1
            hosts.insert(hostID)
        }
        #expect(count == 57)
        #expect(hosts.count == 5)
    }

    @Test func controlRepliesAndRequests() throws {
        let directory = "v2-captured/control"
        let heartbeat = try V2HostHeartbeat.decode(SharedFixtures.data("\(directory)/01-heartbeat.reply.json"))
        #expect(heartbeat.id == "01a20ec4-8d8d-7c40-aa5b-2a0f357b888f")

        var states: [String: V2WorkloadState] = [:]
        for file in try SharedFixtures.files(in: directory, suffix: ".reply.json") where !file.hasPrefix("01-") {
            let reply = try WireJSON.decode(V2WorkloadReply.self, from: SharedFixtures.data("\(directory)/\(file)"))
            #expect(!reply.workloadStatus.workloadID.isEmpty || file.hasPrefix("24-"), "\(file)")
            states[String(file.prefix(2))] = reply.workloadStatus.workloadState
        }
        #expect(states.count == 22)
        #expect(states["02"] == .notFound)
        #expect(states["08"] == .error)
        #expect(states["14"] == .running)
        #expect(states["19"] == .stopping)
        #expect(states["28"] == .starting)
        #expect(!states.values.contains { if case .unknown = $0 { true } else { false } })

        var requests = 0
        for file in try SharedFixtures.files(in: directory, suffix: ".request.json") {
            let data = try SharedFixtures.data("\(directory)/\(file)")
            if file.hasPrefix("01-") { #expect(data.isEmpty); continue }
            if file.contains("not-json") {
                #expect(throws: DecodingError.self) { try WireJSON.decode(V2WorkloadIDRequest.self, from: data) }
                continue
            }
            if file.contains("-start") {
                _ = try WireJSON.decode(V2WorkloadStartRequest.self, from: data)
            } else {
                _ = try WireJSON.decode(V2WorkloadIDRequest.self, from: data)
            }
            requests += 1
        }
        #expect(requests == 26)
        let snake = try WireJSON.decode(V2WorkloadIDRequest.self, from: SharedFixtures.data("\(directory)/03-status-snake-case-field.request.json"))
        #expect(snake.workloadID == "does-not-exist")
        #expect(try WireJSON.encode(snake) == Data(#"{"workloadId":"does-not-exist"}"#.utf8))
        #expect(V2WorkloadState(number: 2) == .running)

        // The start/reply pair stored next to the monitoring snapshots.
        let start = try WireJSON.decode(V2WorkloadStartRequest.self,
                                        from: SharedFixtures.data("v2-captured/monitoring/start_messaging_handler_2.request.json"))
        #expect(start.workloadID.isEmpty == false)
        #expect(start.workload?["witWorld"] != nil)
        let started = try WireJSON.decode(V2WorkloadReply.self,
                                          from: SharedFixtures.data("v2-captured/monitoring/start_messaging_handler_2.reply.json"))
        #expect(started.workloadStatus.workloadState == .running)
        #expect(started.workloadStatus.workloadID == start.workloadID)
        #expect(V2WorkloadState(wireName: "WORKLOAD_STATE_PAUSED") == .unknown("WORKLOAD_STATE_PAUSED"))
    }
}
