import Foundation
import LatticeProtocol
import LatticeState

/// A generated lattice history: a small simulated lattice (three 1.x hosts, one v2 host, wadm)
/// runs for a random number of steps and emits exactly the events a subscriber would see, in
/// time order; `resync` is the complete sync a monitor would then run against the final truth.
struct LatticeScenario: CustomStringConvertible {
    /// Events, heartbeats, v2 heartbeats and wadm status messages, in time order.
    var stream: [LatticeInput]
    /// `syncStarted` … `syncFinished(complete: true)` and a tick, built from the final truth.
    var resync: [LatticeInput]
    var truth: Truth
    /// Events the subscriber missed.
    var lostEvents: Int

    var description: String {
        "LatticeScenario(\(stream.count) inputs, \(lostEvents) lost, \(truth.hosts.count) live hosts, \(truth.links.count) links, \(truth.configs.count) configs)"
    }

    /// What is really there at the end.
    struct Truth {
        var hosts: [String: HostTruth] = [:]
        var links: [LinkKey: Link] = [:]
        var configs: [String: [String: String]] = [:]
        var appStatus: [String: WadmStatusType] = [:]
    }

    struct HostTruth {
        var startedAt: TimeInterval
        var labels: [String: String]
        var components: [String: (image: String, count: UInt32, annotations: [String: String])] = [:]
        var providers: [String: ProviderTruth] = [:]
    }

    struct ProviderTruth {
        var image: String
        var annotations: [String: String]
        /// The host's `previous_healthy`, false at every start.
        var previousHealthy = false
    }

    static let hostIDs = ["NSCENARIOHOSTAAAA", "NSCENARIOHOSTBBBB", "NSCENARIOHOSTCCCC"]
    static let v2HostID = "01a20ec4-0000-7000-8000-00000000v2v2"
    static let componentIDs = ["api", "worker", "web", "cron"]
    static let providerIDs = ["http-server", "kv-redis", "messaging", "builtin-http"]
    static let apps = ["shop", "blog"]
    static let configNames = ["db-url", "listen", "cache", "SECRET_token"]
    static let packages: [(String, [String])] = [("http", ["incoming-handler"]), ("keyvalue", ["store", "atomics"]), ("blobstore", ["blobstore"])]

    /// `lossPercent`: events (other than heartbeats) the subscriber never sees.
    static func generate<R: RandomNumberGenerator>(steps: Int, includeV2: Bool = true, lossPercent: Int = 5,
                                                   using rng: inout R) -> LatticeScenario {
        var truth = Truth()
        var stream: [LatticeInput] = []
        var t: TimeInterval = 0
        var stoppedOne = false
        var lost = 0

        func emit(_ payload: LatticeEventPayload, from host: String) {
            let time = TestTime.at(t)
            let event = LatticeEvent.make(payload, source: host, time: time, id: EventID.make(at: time, using: &rng))
            // Now and then the subscriber misses an event (a full buffer): only heartbeats and
            // the resync can tell.
            if case .hostHeartbeat = payload {} else if Int.random(in: 0..<100, using: &rng) < lossPercent {
                lost += 1
                return
            }
            stream.append(.event(event, at: time + 0.05))
        }
        func annotations(_ rng: inout R) -> [String: String] {
            guard Bool.random(using: &rng) else { return [:] }
            return [WadmAnnotations.appSpec: apps.randomElement(using: &rng)!, WadmAnnotations.managedBy: WadmAnnotations.wadm]
        }
        func inventory(_ id: String, _ host: HostTruth, at time: TimeInterval) -> HostInventory {
            HostInventory(
                components: host.components.map { ComponentDescription(id: $0.key, imageRef: $0.value.image, annotations: $0.value.annotations, maxInstances: $0.value.count) }
                    .sorted { $0.id < $1.id },
                providers: host.providers.map { ProviderDescription(id: $0.key, imageRef: $0.value.image, annotations: $0.value.annotations) }
                    .sorted { $0.id < $1.id },
                hostID: id, friendlyName: "friendly-\(id.suffix(4))", labels: host.labels, version: "1.9.2",
                uptimeHuman: "", uptimeSeconds: UInt64(time - host.startedAt))
        }

        for (index, id) in hostIDs.enumerated() {
            t = Double(index) * 0.5
            let labels = ["hostcore.os": "linux", "zone": "z\(index)"]
            truth.hosts[id] = HostTruth(startedAt: t, labels: labels)
            emit(.hostStarted(HostStartedEvent(friendlyName: "friendly-\(id.suffix(4))", labels: labels, version: "1.9.2")), from: id)
        }

        for step in 0..<steps {
            t += Double(Int.random(in: 1...16, using: &rng)) * 0.5
            let live = truth.hosts.keys.sorted()
            guard let h = live.randomElement(using: &rng) else { break }
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<16:  // scale a component (to 0 as well); sometimes it fails
                let c = componentIDs.randomElement(using: &rng)!
                let count = UInt32.random(in: 0...3, using: &rng)
                let image = "ghcr.io/test/\(c):\(Int.random(in: 1...2, using: &rng)).0"
                if Int.random(in: 0..<7, using: &rng) == 0 {
                    emit(.componentScaleFailed(ComponentScaleFailedEvent(componentID: c, hostID: h, imageRef: image, maxInstances: count,
                                                                         error: "failed to pull \(image)")), from: h)
                } else {
                    let existing = truth.hosts[h]!.components[c]
                    let kept = existing.map { ($0.image, $0.annotations) } ?? (image, annotations(&rng))
                    if count == 0 { truth.hosts[h]!.components[c] = nil } else { truth.hosts[h]!.components[c] = (kept.0, count, kept.1) }
                    emit(.componentScaled(ComponentScaledEvent(annotations: kept.1, hostID: h, imageRef: kept.0, maxInstances: count, componentID: c)), from: h)
                }
            case 16..<28:  // start or stop a provider; starts sometimes fail
                let p = providerIDs.randomElement(using: &rng)!
                if truth.hosts[h]!.providers[p] != nil {
                    truth.hosts[h]!.providers[p] = nil
                    emit(.providerStopped(ProviderStoppedEvent(hostID: h, providerID: p)), from: h)
                } else {
                    let image = p.hasPrefix("builtin") ? "wasmcloud+builtin://http-server" : "ghcr.io/test/\(p):1.0"
                    if Int.random(in: 0..<5, using: &rng) == 0 {
                        emit(.providerStartFailed(ProviderStartFailedEvent(providerRef: image, providerID: p, hostID: h, error: "no such image")), from: h)
                    } else {
                        let a = annotations(&rng)
                        truth.hosts[h]!.providers[p] = ProviderTruth(image: image, annotations: a)
                        emit(.providerStarted(ProviderStartedEvent(hostID: h, imageRef: image, providerID: p, annotations: a)), from: h)
                    }
                }
            case 28..<48:  // a health probe of a running binary provider (the host's state machine)
                let candidates = truth.hosts[h]!.providers.filter { !$0.value.image.hasPrefix("wasmcloud+builtin") }.keys.sorted()
                guard let p = candidates.randomElement(using: &rng) else { continue }
                let healthy = Int.random(in: 0..<10, using: &rng) < 7
                let previous = truth.hosts[h]!.providers[p]!.previousHealthy
                truth.hosts[h]!.providers[p]!.previousHealthy = healthy
                let e = HealthCheckEvent(hostID: h, providerID: p)
                emit(healthy == previous ? .healthCheckStatus(e) : healthy ? .healthCheckPassed(e) : .healthCheckFailed(e), from: h)
            case 48..<60:  // link put (sometimes refused) or delete
                let (package, interfaces) = packages.randomElement(using: &rng)!
                let source = (componentIDs + providerIDs).randomElement(using: &rng)!
                let target = (componentIDs + providerIDs).randomElement(using: &rng)!
                let name = Bool.random(using: &rng) ? "default" : "cache"
                if Int.random(in: 0..<3, using: &rng) > 0 {
                    let link = Link(sourceID: source, target: target, name: name, witNamespace: "wasi", witPackage: package,
                                    interfaces: interfaces, sourceConfig: Bool.random(using: &rng) ? [configNames.randomElement(using: &rng)!] : [])
                    if Int.random(in: 0..<6, using: &rng) == 0 {
                        emit(.linkdefSetFailed(LinkDefSetFailedEvent(link: link, error: "config not found")), from: h)
                    } else {
                        truth.links[LinkKey(link)] = link
                        emit(.linkdefSet(link), from: h)
                    }
                } else {
                    let base = LinkBaseKey(sourceID: source, witNamespace: "wasi", witPackage: package, name: name)
                    if let key = truth.links.keys.filter({ $0.base == base }).sorted().first {
                        let link = truth.links.removeValue(forKey: key)!
                        emit(.linkdefDeleted(LinkDefDeletedEvent(removed: link)), from: h)
                    } else {
                        emit(.linkdefDeleted(LinkDefDeletedEvent(sourceID: source, name: name, witNamespace: "wasi", witPackage: package)), from: h)
                    }
                }
            case 60..<70:  // named config
                let name = configNames.randomElement(using: &rng)!
                if Int.random(in: 0..<3, using: &rng) > 0 {
                    truth.configs[name] = ["value": "\(step)"]
                    emit(.configSet(ConfigEvent(configName: name)), from: h)
                } else {
                    truth.configs[name] = nil
                    emit(.configDeleted(ConfigEvent(configName: name)), from: h)
                }
            case 70..<74:
                truth.hosts[h]!.labels["tier"] = ["gold", "silver", "bronze"].randomElement(using: &rng)!
                emit(.labelsChanged(LabelsChangedEvent(hostID: h, labels: truth.hosts[h]!.labels)), from: h)
            case 74..<90:
                emit(.hostHeartbeat(inventory(h, truth.hosts[h]!, at: t)), from: h)
            case 90..<94:
                let app = apps.randomElement(using: &rng)!
                let status: WadmStatusType = [.deployed, .reconciling, .failed].randomElement(using: &rng)!
                truth.appStatus[app] = status
                stream.append(.wadmStatus(application: app, status: WadmStatus(status: WadmStatusInfo(type: status)), at: TestTime.at(t)))
            case 94..<98:
                guard includeV2 else { continue }
                let beat = V2HostHeartbeat(id: v2HostID, hostname: "v2", friendlyName: "v2-host", version: "2.10.3",
                                           labels: ["hostgroup": "default"], startedAt: "2025-06-01T12:00:00+00:00",
                                           systemCPUUsage: Double(step % 50), componentCount: UInt64(step % 4), workloadCount: UInt64(step % 5))
                stream.append(.v2Heartbeat(beat, subject: "runtime.operator.heartbeat.\(v2HostID)", at: TestTime.at(t)))
            default:
                guard !stoppedOne, step > steps / 2, live.count > 1 else { continue }
                stoppedOne = true
                truth.hosts[h] = nil
                emit(.hostStopped(HostStoppedEvent(labels: [:])), from: h)
            }
        }

        // The resync, from the final truth.
        let start = t + 5
        var resync: [LatticeInput] = [.syncStarted(id: 1, at: TestTime.at(start))]
        for (id, host) in truth.hosts.sorted(by: { $0.key < $1.key }) {
            resync.append(.hostPinged(HostInfo(id: id, friendlyName: "friendly-\(id.suffix(4))", labels: host.labels, lattice: "default",
                                               uptimeSeconds: UInt64(start - host.startedAt), version: "1.9.2"),
                                      syncID: 1, at: TestTime.at(start + 0.1)))
            resync.append(.inventory(inventory(id, host, at: start + 0.2), syncID: 1, at: TestTime.at(start + 0.2)))
        }
        resync.append(.links(truth.links.values.sorted { LinkKey($0) < LinkKey($1) }, syncID: 1, at: TestTime.at(start + 0.3)))
        resync.append(.configs(truth.configs.filter { !$0.key.hasPrefix("SECRET") }, syncID: 1, at: TestTime.at(start + 0.4)))
        resync.append(.applications(apps.map { app in
            ModelSummary(name: app, version: "v1", deployedVersion: "v1",
                         detailedStatus: WadmStatus(status: WadmStatusInfo(type: truth.appStatus[app] ?? .deployed)))
        }, syncID: 1, at: TestTime.at(start + 0.5)))
        resync.append(.syncFinished(id: 1, hostsAnswered: Set(truth.hosts.keys), complete: true, at: TestTime.at(start + 1)))
        resync.append(.tick(TestTime.at(start + 1)))
        return LatticeScenario(stream: stream, resync: resync, truth: truth, lostEvents: lost)
    }
}

extension Array {
    /// A random permutation with `duplicates` extra copies of random elements at random places.
    func shuffledWithDuplicates<R: RandomNumberGenerator>(_ duplicates: Int, using rng: inout R) -> [Element] {
        guard !isEmpty else { return self }
        var result = shuffled(using: &rng)
        for _ in 0..<duplicates {
            result.insert(self.randomElement(using: &rng)!, at: Int.random(in: 0...result.count, using: &rng))
        }
        return result
    }
}
