import Testing
@testable import TerminalUI

@Suite struct FormTests {
    func sample() -> FormState {
        FormState(title: "Start provider", fields: [
            FormField(id: "ref", label: "Image reference", placeholder: "registry/repo:tag", suggestions: ["ghcr.io/a/http:1", "ghcr.io/a/kv:2"]),
            FormField(id: "id", label: "Provider ID"),
            .choice(id: "host", label: "Host", options: ["auction", "alpha", "beta", "bravo"]),
        ])
    }

    @Test func typingEditsTheFocusedTextField() {
        var f = sample()
        for c in "abc" { #expect(f.handle(.character(c)) == .none) }
        #expect(f.handle(.backspace) == .none)
        #expect(f["ref"] == "ab")
        #expect(f.handle(.ctrl("u")) == .none)
        #expect(f["ref"] == "")
    }

    @Test func tabAndShiftTabMoveBetweenFieldsAndWrap() {
        var f = sample()
        _ = f.handle(.tab)
        #expect(f.focus == 1)
        _ = f.handle(.down)
        #expect(f.focus == 2)
        _ = f.handle(.tab)
        #expect(f.focus == 0)
        _ = f.handle(.backTab)
        #expect(f.focus == 2)
        _ = f.handle(.up)
        #expect(f.focus == 1)
    }

    @Test func choiceFieldCyclesAndJumpsByLetter() {
        var f = sample()
        f.focus = 2
        #expect(f["host"] == "auction")
        _ = f.handle(.right)
        #expect(f["host"] == "alpha")
        _ = f.handle(.left)
        _ = f.handle(.left)
        #expect(f["host"] == "bravo")
        _ = f.handle(.character("b"))
        #expect(f["host"] == "beta")  // the next option starting with b after bravo wraps to beta
        _ = f.handle(.space)
        #expect(f["host"] == "bravo")
    }

    @Test func enterSubmitsEscCancelsAndBusyIgnoresEverythingButEsc() {
        var f = sample()
        #expect(f.handle(.enter) == .submit)
        #expect(f.handle(.escape) == .cancel)
        f.busy = "sending"
        #expect(f.handle(.character("x")) == .none)
        #expect(f.handle(.enter) == .none)
        #expect(f["ref"] == "")
        #expect(f.handle(.escape) == .cancel)
    }

    @Test func errorsFocusTheFirstBadFieldAndEditingClearsIt() {
        var f = sample()
        f.setErrors(["id": "required", "host": "gone"])
        #expect(f.focus == 1)
        #expect(f.hasErrors)
        _ = f.handle(.character("p"))
        #expect(f.field("id")?.error == nil)
        #expect(f.field("host")?.error == "gone")
    }

    @Test func rightArrowCompletesTheLastListItem() {
        var f = sample()
        for c in "ghcr.io/a/k" { _ = f.handle(.character(c)) }
        #expect(f.field("ref")?.matchingSuggestions == ["ghcr.io/a/kv:2"])
        _ = f.handle(.right)
        #expect(f["ref"] == "ghcr.io/a/kv:2")
        var list = FormField(id: "c", label: "c", text: "one, t", suggestions: ["two", "three"])
        list.complete(with: list.matchingSuggestions[0])
        #expect(list.text == "one, two")
        #expect(list.items == ["one", "two"])
    }

    @Test func pasteDropsLineBreaks() {
        var f = sample()
        f.paste("ghcr.io/x\n:1")
        #expect(f["ref"] == "ghcr.io/x:1")
    }

    @Test func formViewDrawsFieldsErrorsAndTheMessage() {
        var f = sample()
        for c in "ghcr.io/a/http:1" { _ = f.handle(.character(c)) }
        f.setErrors(["id": "a provider ID is required"])
        f.show("refused: provider with that ID is already running", isError: true)
        var canvas = Canvas(width: 100, height: 24)
        FormView(f).render(in: Rect(x: 0, y: 0, width: 100, height: 24), on: &canvas, theme: .default)
        let text = canvas.lines().joined(separator: "\n")
        #expect(text.contains("Start provider"))
        #expect(text.contains("Image reference"))
        #expect(text.contains("ghcr.io/a/http:1"))
        #expect(text.contains("✖ a provider ID is required"))
        #expect(text.contains("‹ auction ›  1/4"))
        #expect(text.contains("refused: provider with that ID is already running"))
        #expect(text.contains("enter submit"))
    }
}
