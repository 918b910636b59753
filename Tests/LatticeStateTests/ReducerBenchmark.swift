import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// Reducer throughput on a storm of 1 M pre-decoded events (not a test: skipped unless
/// `LATTICETOP_BENCH=1`; run `Benchmarks/reducer.sh`). Prints events/s and the same-process
/// baselines, so figures from different machines can be compared as ratios.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct ReducerBenchmark {
    static let eventCount = ProcessInfo.processInfo.environment["LATTICETOP_BENCH_EVENTS"].flatMap(Int.init) ?? 1_000_000
    static let hostCount = 100

    /// How often each kind of event occurs, in percent.
    struct Mix {
        var heartbeats = 10
        var health = 45
        var scales = 40
        var providers = 3
        var links = 2

        static let storm = Mix()
        static let heartbeatsOnly = Mix(heartbeats: 100, health: 0, scales: 0, providers: 0, links: 0)
        static let healthOnly = Mix(heartbeats: 0, health: 100, scales: 0, providers: 0, links: 0)
        static let scalesOnly = Mix(heartbeats: 0, health: 0, scales: 100, providers: 0, links: 0)
    }

    /// A storm (a wadm rollout, say): heartbeats with four components and two providers,
    /// health events, scale events, provider restarts and link puts across 100 hosts, with a
    /// tick every 10 000 inputs. Every event has its own ID and time.
    static func storm(_ mix: Mix = .storm, count: Int = eventCount) -> [LatticeInput] {
        var rng = SplitMix64(seed: 42)
        let hosts = (0..<hostCount).map { "NBENCH" + String(repeating: "X", count: 44) + String(format: "%06d", $0) }
        let annotations = ["wasmcloud.dev/appspec": "shop", "wasmcloud.dev/managed-by": "wadm"]
        let inventories = hosts.map { host in
            HostInventory(
                components: (0..<4).map { ComponentDescription(id: "component-\($0)", imageRef: "ghcr.io/bench/c\($0):1.0", annotations: annotations, maxInstances: 2) },
                providers: (0..<2).map { ProviderDescription(id: "provider-\($0)", imageRef: "ghcr.io/bench/p\($0):1.0", name: "p\($0)", annotations: annotations) },
                hostID: host, friendlyName: "bench-\(host.suffix(4))", labels: ["hostcore.os": "linux", "zone": "a"],
                version: "1.9.2", uptimeHuman: "1h", uptimeSeconds: 3600)
        }
        let start = Date(timeIntervalSince1970: 1_748_779_200)
        var inputs: [LatticeInput] = []
        inputs.reserveCapacity(count + count / 10_000)
        for index in 0..<count {
            let time = start + Double(index) * 0.000_01
            let h = Int.random(in: 0..<hostCount, using: &rng)
            let host = hosts[h]
            let payload: LatticeEventPayload
            let roll = Int.random(in: 0..<100, using: &rng)
            let kind = [mix.heartbeats, mix.health, mix.scales, mix.providers].reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
            switch roll {
            case ..<kind[0]:
                payload = .hostHeartbeat(inventories[h])
            case ..<kind[1]:
                let e = HealthCheckEvent(hostID: host, providerID: "provider-\(Int.random(in: 0..<2, using: &rng))")
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: payload = .healthCheckFailed(e)
                case 1: payload = .healthCheckPassed(e)
                default: payload = .healthCheckStatus(e)
                }
            case ..<kind[2]:
                let c = Int.random(in: 0..<4, using: &rng)
                payload = .componentScaled(ComponentScaledEvent(annotations: annotations, hostID: host, imageRef: "ghcr.io/bench/c\(c):1.0",
                                                                maxInstances: UInt32.random(in: 0...3, using: &rng), componentID: "component-\(c)"))
            case ..<kind[3]:
                let p = "provider-\(Int.random(in: 0..<2, using: &rng))"
                payload = Bool.random(using: &rng)
                    ? .providerStarted(ProviderStartedEvent(hostID: host, imageRef: "ghcr.io/bench/p.1.0", providerID: p, annotations: annotations))
                    : .providerStopped(ProviderStoppedEvent(hostID: host, providerID: p, annotations: annotations))
            default:
                payload = .linkdefSet(Link(sourceID: "component-\(Int.random(in: 0..<4, using: &rng))", target: "provider-0",
                                           witNamespace: "wasi", witPackage: "keyvalue", interfaces: ["store"]))
            }
            let event = LatticeEvent.make(payload, source: host, time: time, id: EventID.make(at: time, using: &rng))
            inputs.append(.event(event, at: time))
            if index % 10_000 == 9_999 { inputs.append(.tick(time)) }
        }
        return inputs
    }

    /// `LATTICETOP_BENCH_MIX=heartbeats|health|scales` runs a single kind (for profiling).
    static var mix: Mix {
        switch ProcessInfo.processInfo.environment["LATTICETOP_BENCH_MIX"] {
        case "heartbeats": return .heartbeatsOnly
        case "health": return .healthOnly
        case "scales": return .scalesOnly
        default: return .storm
        }
    }

    @Test func stormOfOneMillionEvents() {
        let inputs = Self.storm(Self.mix)
        let events = Double(Self.eventCount)

        // Baseline 1: copy every input into a new array (touches each value once).
        var checksum = 0
        let copy = Self.best {
            var copy: [LatticeInput] = []
            copy.reserveCapacity(inputs.count)
            for input in inputs { copy.append(input) }
            checksum &+= copy.count
        }
        // Baseline 2: one dictionary insert per event, keyed by its CloudEvent ID.
        let dictionary = Self.best {
            var seen: [String: Int] = [:]
            for (index, input) in inputs.enumerated() {
                if case .event(let event, _) = input { seen[event.id] = index }
            }
            checksum &+= seen.count
        }
        // The reducer.
        var state = LatticeState()
        let reducer = Self.best {
            state = LatticeState()
            state.apply(contentsOf: inputs)
        }

        // What each kind costs on its own (100 000 events each).
        let kinds: [(String, Mix)] = [("heartbeats", .heartbeatsOnly), ("health", .healthOnly), ("scales", .scalesOnly)]
        let perKind = kinds.map { name, mix -> String in
            let stream = Self.storm(mix, count: 100_000)
            let t = Self.best {
                var s = LatticeState()
                s.apply(contentsOf: stream)
                checksum &+= s.counters.events
            }
            return "\(name) \(String(format: "%.0f", t.cpu / 100_000 * 1e9)) ns"
        }.joined(separator: ", ")

        func line(_ name: String, _ t: Timing) -> String {
            let cpu = t.cpu / events * 1e9, wall = t.wall / events * 1e9
            return "\(name)\(String(format: "%10.0f", events / t.cpu))/s CPU (\(String(format: "%7.1f", cpu)) ns each)   "
                + "\(String(format: "%10.0f", events / t.wall))/s wall (\(String(format: "%7.1f", wall)) ns each)"
        }
        print("""
        REDUCER BENCHMARK: \(Self.eventCount) events (10 % heartbeats, 45 % health, 40 % scale, 5 % provider/link), \(Self.hostCount) hosts, best of 3 (thread CPU time and wall time)
          \(line("reducer        ", reducer))
          \(line("baseline copy  ", copy))
          \(line("baseline dict  ", dictionary))
          reducer CPU per event by kind: \(perKind)
          reducer / copy = \(String(format: "%.1f", reducer.cpu / copy.cpu))x, reducer / dict insert = \(String(format: "%.1f", reducer.cpu / dictionary.cpu))x (CPU time)
          state: \(state.hosts.count) hosts, \(state.counters.events) events, \(state.eventLog.count) log entries, \(state.links.count) links (checksum \(checksum))
        """)
        #expect(state.counters.events == Self.eventCount)
    }

    struct Timing {
        var cpu: Double
        var wall: Double
    }

    /// Best of three runs, by this thread's CPU time (the machine may be shared) and by wall time.
    static func best(_ body: () -> Void) -> Timing {
        var result = Timing(cpu: .infinity, wall: .infinity)
        for _ in 0..<3 {
            let cpu = threadCPUSeconds(), wall = ContinuousClock.now
            body()
            let elapsed = wall.duration(to: .now)
            result.cpu = min(result.cpu, threadCPUSeconds() - cpu)
            result.wall = min(result.wall, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return result
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// A small deterministic generator for the benchmark's data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
