import Foundation
import Testing
import LatticeProtocol

@Suite struct CtlSubjectsTests {
    let host = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"
    let subjects = CtlSubjects(lattice: "default")

    /// Every builder, the subject it must produce, and the operation/target it parses back to.
    var table: [(String, CtlOperation, String?)] {
        [
            (subjects.hostPing, .hostPing, nil),
            (subjects.hostGet(hostID: host), .hostGet, host),
            (subjects.hostStop(hostID: host), .hostStop, host),
            (subjects.componentScale(hostID: host), .componentScale, host),
            (subjects.componentUpdate(hostID: host), .componentUpdate, host),
            (subjects.componentAuction, .componentAuction, nil),
            (subjects.providerStart(hostID: host), .providerStart, host),
            (subjects.providerStop(hostID: host), .providerStop, host),
            (subjects.providerAuction, .providerAuction, nil),
            (subjects.linkGet, .linkGet, nil),
            (subjects.linkPut, .linkPut, nil),
            (subjects.linkDelete, .linkDelete, nil),
            (subjects.configGet(name: "cfg"), .configGet, "cfg"),
            (subjects.configPut(name: "cfg"), .configPut, "cfg"),
            (subjects.configDelete(name: "cfg"), .configDelete, "cfg"),
            (subjects.labelPut(hostID: host), .labelPut, host),
            (subjects.labelDelete(hostID: host), .labelDelete, host),
            (subjects.claimsGet, .claimsGet, nil),
            (subjects.registryPut, .registryPut, nil),
        ]
    }

    @Test func everyOperationHasABuilderThatParsesBack() throws {
        #expect(table.count == CtlOperation.allCases.count)
        #expect(Set(table.map(\.1)) == Set(CtlOperation.allCases))
        for (subject, operation, target) in table {
            let expected = "wasmbus.ctl.v1.default.\(operation.rawValue)" + (target.map { ".\($0)" } ?? "")
            #expect(subject == expected)
            #expect(subjects.parse(subject) == .operation(ParsedCtlSubject(lattice: "default", operation: operation, target: target)))
            let parsed = try #require(subjects.parseOperation(subject))
            #expect(parsed.operation == operation)
            #expect(parsed.target == target)
            #expect(try subjects.subject(for: operation, target: target) == subject)
        }
    }

    @Test func concreteSubjects() {
        #expect(subjects.componentScale(hostID: host) == "wasmbus.ctl.v1.default.component.scale.\(host)")
        #expect(subjects.linkDelete == "wasmbus.ctl.v1.default.link.del")
        #expect(subjects.configDelete(name: "x") == "wasmbus.ctl.v1.default.config.del.x")
        #expect(CtlSubjects(prefix: "acme.ctl", lattice: "prod").hostPing == "acme.ctl.v1.prod.host.ping")
    }

    @Test func operationMetadata() {
        #expect(CtlOperation.linkDelete.noun == "link")
        #expect(CtlOperation.linkDelete.verb == "del")
        #expect(CtlOperation.hostPing.delivery == .scatterGather)
        #expect(CtlOperation.componentAuction.delivery == .scatterGather)
        #expect(CtlOperation.registryPut.delivery == .fanOut)
        #expect(CtlOperation.linkPut.delivery == .requestReply)
        #expect(CtlOperation.configPut.targetKind == .configName)
        #expect(CtlOperation.labelDelete.targetKind == .hostID)
        #expect(CtlOperation.claimsGet.targetKind == .none)
        #expect(CtlOperation(noun: "provider", verb: "stop") == .providerStop)
        #expect(CtlOperation(noun: "provider", verb: "frob") == nil)
    }

    @Test func unknownSubjectsAreUnsupportedOrForeign() {
        #expect(CtlSubjects.parse("wasmbus.ctl.v1.default.host.frob") == .unsupported(lattice: "default", remainder: "host.frob"))
        #expect(CtlSubjects.parse("wasmbus.ctl.v1.default.host.ping.extra") == .unsupported(lattice: "default", remainder: "host.ping.extra"))
        #expect(CtlSubjects.parse("wasmbus.ctl.v1.default.host.get") == .unsupported(lattice: "default", remainder: "host.get"))
        #expect(CtlSubjects.parse("wasmbus.ctl.v1.default.host.get.") == .unsupported(lattice: "default", remainder: "host.get."))
        #expect(CtlSubjects.parse("wasmbus.ctl.v1.default") == .notControlSubject)
        #expect(CtlSubjects.parse("wasmbus.ctl.v2.default.host.ping") == .notControlSubject)
        #expect(CtlSubjects.parse("wasmbus.evt.default.host_started") == .notControlSubject)
        #expect(CtlSubjects.parse("") == .notControlSubject)
        // An instance parse ignores other lattices.
        #expect(subjects.parse("wasmbus.ctl.v1.other.host.ping") == .notControlSubject)
        #expect(subjects.parseOperation("wasmbus.ctl.v1.default.nope.nope") == nil)
        // The static parse reports any lattice, and honours custom prefixes.
        #expect(CtlSubjects.parse("wasmbus.ctl.v1.other.host.ping").parsed?.lattice == "other")
        #expect(CtlSubjects.parse("acme.ctl.v1.prod.link.get", prefix: "acme.ctl").parsed?.operation == .linkGet)
        #expect(CtlSubjects.parse("acme.ctl.v1.prod.link.get") == .notControlSubject)
    }

    @Test func validationErrors() throws {
        #expect(throws: SubjectValidationError.empty(role: .lattice)) { try CtlSubjects.validated(lattice: "") }
        #expect(throws: SubjectValidationError.forbiddenCharacter(role: .lattice, value: "a.b", character: "\".\" (the subject separator)")) {
            try CtlSubjects.validated(lattice: "a.b")
        }
        for bad in ["a*", "a>", "a b", "tab\there", "nl\n", "\u{1B}[31m"] {
            #expect(throws: SubjectValidationError.self) { try SubjectToken.validate(bad, as: .hostID) }
            #expect(!SubjectToken.isValid(bad))
        }
        #expect(throws: SubjectValidationError.empty(role: .prefix)) { try CtlSubjects.validated(prefix: "wasmbus..ctl", lattice: "x") }
        #expect(throws: SubjectValidationError.self) { try CtlSubjects.validated(prefix: "wasmbus.*", lattice: "x") }
        #expect(try CtlSubjects.validated(prefix: "acme.ctl", lattice: "prod-1_a").base == "acme.ctl.v1.prod-1_a")
        #expect(SubjectToken.isValid(host))

        #expect(throws: SubjectValidationError.empty(role: .hostID)) { try subjects.subject(for: .hostGet) }
        #expect(throws: SubjectValidationError.empty(role: .configName)) { try subjects.subject(for: .configGet, target: "") }
        #expect(throws: SubjectValidationError.targetNotAllowed(operation: "host.ping")) { try subjects.subject(for: .hostPing, target: host) }

        let error = SubjectValidationError.forbiddenCharacter(role: .lattice, value: "a.b", character: "\".\" (the subject separator)")
        #expect(error.description == "lattice name \"a.b\" must not contain \".\" (the subject separator)")
        #expect(SubjectValidationError.empty(role: .configName).description == "config name must not be empty")
    }

    @Test func hostSubscriptionsMatchTheHost() {
        let subs = subjects.hostSubscriptions(hostID: host)
        #expect(subs.count == 11)
        #expect(subs.contains(CtlSubscription(subject: "wasmbus.ctl.v1.default.link.*", queueGroup: "wasmbus.ctl.v1.default.link")))
        #expect(subs.contains(CtlSubscription(subject: "wasmbus.ctl.v1.default.config.>", queueGroup: "wasmbus.ctl.v1.default.config")))
        #expect(subs.contains(CtlSubscription(subject: "wasmbus.ctl.v1.default.host.*.\(host)")))
        #expect(subs.filter { $0.queueGroup == nil }.count == 8)
    }
}

@Suite struct OtherSubjectsTests {
    @Test func eventSubjects() {
        let events = EventSubjects(lattice: "default")
        #expect(events.wildcard == "wasmbus.evt.default.>")
        #expect(events.wadmWildcard == "wadm.evt.default.>")
        #expect(events.subject(event: "host_heartbeat") == "wasmbus.evt.default.host_heartbeat")
        #expect(events.subject(for: .linkdefSetFailed) == "wasmbus.evt.default.linkdef_set_failed")
        #expect(events.subject(for: .manifestPublished) == "wadm.evt.default.manifest_published")
        #expect(EventSubjects.parse("wasmbus.evt.prod.config_set")! == ("prod", "config_set"))
        #expect(EventSubjects.parse("wasmbus.evt.prod") == nil)
        #expect(EventSubjects.parse("wasmbus.ctl.prod.config_set") == nil)
        #expect(LatticeEventType(shortName: "health_check_status") == .healthCheckStatus)
        #expect(LatticeEventType(shortName: "manifest_unpublished") == .manifestUnpublished)
        #expect(LatticeEventType(shortName: "actor_started") == nil)
        #expect(LatticeEventType.allCases.count == 19)
        #expect(LatticeEventType.allCases.filter { !$0.isWadmEvent }.count == 17)
    }

    @Test func wadmSubjects() {
        let wadm = WadmSubjects(lattice: "default")
        #expect(wadm.modelList == "wadm.api.default.model.get")
        #expect(wadm.modelListDeprecated == "wadm.api.default.model.list")
        #expect(wadm.modelGet(name: "app") == "wadm.api.default.model.get.app")
        #expect(wadm.modelStatus(name: "app") == "wadm.api.default.model.status.app")
        #expect(wadm.modelVersions(name: "app") == "wadm.api.default.model.versions.app")
        #expect(wadm.modelPut == "wadm.api.default.model.put")
        #expect(wadm.modelDeploy(name: "app") == "wadm.api.default.model.deploy.app")
        #expect(wadm.modelUndeploy(name: "app") == "wadm.api.default.model.undeploy.app")
        #expect(wadm.modelDelete(name: "app") == "wadm.api.default.model.del.app")
        #expect(wadm.statusWildcard == "wadm.status.default.>")
        #expect(wadm.status(application: "app") == "wadm.status.default.app")
        #expect(WadmSubjects.parseStatus("wadm.status.default.rust-hello-world")! == ("default", "rust-hello-world"))
        #expect(WadmSubjects.parseStatus("wadm.status.default") == nil)
    }

    @Test func v2AndRPCSubjects() {
        let id = "01a20ec4-8d8d-7c40-aa5b-2a0f357b888f"
        #expect(V2Subjects.heartbeatWildcard == "runtime.operator.heartbeat.>")
        #expect(V2Subjects.heartbeat(hostID: id) == "runtime.operator.heartbeat.\(id)")
        #expect(V2Subjects.hostCommand(hostID: id, .workloadStart) == "runtime.host.\(id).workload.start")
        #expect(V2Subjects.heartbeatHostID("runtime.operator.heartbeat.\(id)") == id)
        #expect(V2Subjects.heartbeatHostID("runtime.operator.heartbeat.") == nil)
        #expect(V2Subjects.heartbeatHostID("runtime.host.\(id).heartbeat") == nil)
        let rpc = RPCSubjects(lattice: "default")
        #expect(rpc.health(providerID: "p") == "wasmbus.rpc.default.p.health")
        #expect(rpc.shutdown(providerID: "p") == "wasmbus.rpc.default.p.default.shutdown")
    }
}
