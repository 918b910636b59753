import Foundation
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// Time travel's keys and `:at` / `:live`, resolved against what is recorded (pure parts).
@Suite struct TimeTravelTests {
    let utc = TimeZone(identifier: "UTC")!
    // 2025-06-01 10:57:10 UTC is "live"; changes were recorded at 10:30, 10:42:03 and 10:50.
    let live = Date(timeIntervalSince1970: 1_748_775_430)
    var changes: [Date] { [live - 1630, live - 907, live - 430] }

    func resolve(_ request: TravelRequest, from current: Date?, first: Date? = nil) -> TimeTravel.Outcome {
        let changes = self.changes
        return TimeTravel.resolve(request, current: current, live: live, first: first ?? changes.first, timeZone: utc,
                                  before: { m in changes.last { $0 < m } }, after: { m in changes.first { $0 > m } })
    }

    @Test func parsesClockTimesAndTimesAgo() {
        #expect(TravelTarget.parse("10:42") == .clock(hour: 10, minute: 42, second: 0))
        #expect(TravelTarget.parse("10:42:03") == .clock(hour: 10, minute: 42, second: 3))
        #expect(TravelTarget.parse("-15m") == .ago(900))
        #expect(TravelTarget.parse("-1h30m") == .ago(5400))
        #expect(TravelTarget.parse("-90s") == .ago(90))
        for bad in ["", "25:00", "10:61", "10", "-15", "-m", "15m", "-1x", "10:42:03:01", "a:b"] {
            #expect(TravelTarget.parse(bad) == nil, "\(bad)")
        }
        #expect(CommandLineParser.parse("at 10:42") == .success(.travel(.to(.clock(hour: 10, minute: 42, second: 0)))))
        #expect(CommandLineParser.parse("live") == .success(.travel(.live)))
        if case .failure(let error) = CommandLineParser.parse("at soon") {
            #expect(error.description.contains("soon is not a time"))
        } else {
            Issue.record(":at soon must fail")
        }
    }

    @Test func stepsGoThroughRecordedChangesAndPastTheLastIsLive() {
        #expect(resolve(.step(-1), from: nil).moment == changes[2])
        #expect(resolve(.step(-1), from: changes[2]).moment == changes[1])
        #expect(resolve(.step(-1), from: changes[0]) == TimeTravel.Outcome(moment: changes[0], note: "no earlier recorded change"))
        #expect(resolve(.step(1), from: changes[1]).moment == changes[2])
        #expect(resolve(.step(1), from: changes[2]) == TimeTravel.Outcome(moment: nil, note: "live"))
        #expect(resolve(.step(1), from: nil) == TimeTravel.Outcome(moment: nil, note: "already live"))
    }

    @Test func minutesAndJumpsAreClampedToWhatIsRecorded() {
        #expect(resolve(.minutes(-1), from: nil).moment == live - 60)
        #expect(resolve(.minutes(1), from: live - 30).moment == nil, "a minute forward from 30 s ago is live")
        #expect(resolve(.to(.ago(900)), from: nil).moment == live - 900)
        let early = resolve(.to(.ago(7200)), from: nil)
        #expect(early.moment == changes[0] && early.note == "history starts at 10:30:00")
        #expect(resolve(.to(.clock(hour: 10, minute: 42, second: 3)), from: nil).moment == changes[1])
        // A clock time still to come today means yesterday's, before what is recorded here.
        #expect(resolve(.to(.clock(hour: 11, minute: 0, second: 0)), from: nil).moment == changes[0])
        #expect(resolve(.live, from: changes[1]) == TimeTravel.Outcome(moment: nil, note: "live"))
        let nothing = TimeTravel.resolve(.step(-1), current: nil, live: live, first: nil, timeZone: utc, before: { _ in nil }, after: { _ in nil })
        #expect(nothing.moment == nil && nothing.isError)
    }

    @Test func inThePastMutatingKeysAreOffAndEscReturns() {
        var app = AppState()
        app.pane = .providers
        #expect(app.bindings.contains { $0.mutates }, "live: the operate keys are there")
        app.travel = live - 60
        #expect(!app.bindings.contains { $0.mutates }, "in the past: none changes the lattice")
        let view = PaneView(title: "Providers", columns: [], rows: [])
        #expect(app.handle(.key(Key(.character("s"))), view: view, visibleRows: 10, now: live).isEmpty, "s (start provider) does nothing")
        #expect(app.handle(.key(Key(.character("["))), view: view, visibleRows: 10, now: live) == [.travel(.step(-1))])
        #expect(app.handle(.key(Key(.character("}"))), view: view, visibleRows: 10, now: live) == [.travel(.minutes(1))])
        #expect(app.handle(.key(Key(.escape)), view: view, visibleRows: 10, now: live) == [.travel(.live)])
        #expect(app.hints.contains { $0.key == "[ ]" && $0.label == "time travel" })
    }

    @Test func theHeaderSaysWhenInTheWarningColour() {
        let text = TimeTravel.headerText(moment: changes[1], live: live, timeZone: utc)
        #expect(text == "⏪ AT 10:42:03 — live: 10:57:10")
    }
}
