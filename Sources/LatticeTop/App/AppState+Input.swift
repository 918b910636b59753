import Foundation
import LatticeState
import TerminalUI

extension AppState {
    /// Handles one input event against the pane as currently shown (`view`, with `visibleRows`
    /// rows on screen). Returns the effects for the app loop.
    /// `lattice` is the state the operate keys act on (forms, confirms, the wadm guard).
    /// `completions` is evaluated only when the command line completes (Tab): at a big lattice
    /// the list of component IDs is costly, and most keys do not need it.
    public mutating func handle(_ event: InputEvent, view: PaneView, visibleRows: Int, now: Date,
                                completions: @autoclosure () -> [String: [String]] = [:],
                                lattice: LatticeState = LatticeState()) -> [AppEffect] {
        guard case .key(let key) = event else {
            if case .paste(let text) = event {
                switch mode {
                case .form(var f): f.form.paste(text); mode = .form(f)
                case .command(let t): mode = .command(t + text.filter { !$0.isNewline })
                case .filter(let t): mode = .filter(t + text.filter { !$0.isNewline }); filters[pane] = RowFilter(t + text)
                default: break
                }
            }
            return []
        }
        switch mode {
        case .command(let text): return handleCommandLine(key, text: text, now: now, completions: completions)
        case .filter(let text): handleFilter(key, text: text); return []
        case .help(let offset):
            mode = scrolled(key, offset: offset) { .help(offset: $0) } ?? .normal
            return key == .ctrl("c") ? [.quit] : []
        case .text(let title, let lines, let offset):
            mode = scrolled(key, offset: offset) { .text(title: title, lines: lines, offset: $0) } ?? .normal
            return key == .ctrl("c") ? [.quit] : []
        case .form(let f): return handleForm(key, f, lattice: lattice, now: now)
        case .confirm(let c): return handleConfirm(key, c, now: now)
        case .normal:
            break
        }
        guard let command = KeyTable.binding(for: key, in: screen, readOnly: keysReadOnly)?.command(for: key) else { return [] }
        if case .operate(let request) = command {
            return beginOperation(request, view: view, lattice: lattice, now: now)
        }
        return perform(command, view: view, visibleRows: visibleRows, now: now)
    }

    /// Scroll keys in an overlay; nil closes it.
    private func scrolled(_ key: Key, offset: Int, _ make: (Int) -> Mode) -> Mode? {
        switch ModalKeys.command(for: key, in: ModalKeys.overlay) {
        case .close?: return nil
        case .scroll(let by)?: return make(max(0, offset + by))
        case .top?: return make(0)
        default: return make(offset)
        }
    }

    private mutating func handleCommandLine(_ key: Key, text: String, now: Date, completions: () -> [String: [String]]) -> [AppEffect] {
        switch ModalKeys.command(for: key, in: ModalKeys.commandLine) {
        case .cancel?: mode = .normal
        case .deleteBack?: mode = text.isEmpty ? .normal : .command(String(text.dropLast()))
        case .complete?:
            let options = CommandLineParser.complete(text, arguments: completions())
            if let first = options.first { mode = .command(options.count == 1 ? first + " " : commonPrefix(options) ?? first) }
        case .run?:
            mode = .normal
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return [] }
            switch CommandLineParser.parse(trimmed) {
            case .success(let command): return perform(command, view: nil, visibleRows: 0, now: now)
            case .failure(let error): flash(error.description, error: true, now: now)
            }
        default:
            if case .character(let c) = key.code, key.modifiers.isEmpty { mode = .command(text + String(c)) }
        }
        return []
    }

    private func commonPrefix(_ options: [String]) -> String? {
        guard var prefix = options.first else { return nil }
        for o in options.dropFirst() { while !o.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }

    private mutating func handleFilter(_ key: Key, text: String) {
        switch ModalKeys.command(for: key, in: ModalKeys.filter) {
        case .clear?:
            mode = .normal
            filters[pane] = nil
        case .keep?:
            mode = .normal
            filters[pane] = text.isEmpty ? nil : RowFilter(text)
        case .deleteBack?:
            let t = String(text.dropLast())
            mode = .filter(t)
            filters[pane] = t.isEmpty ? nil : RowFilter(t)
        default:
            if case .character(let c) = key.code, key.modifiers.isEmpty {
                mode = .filter(text + String(c))
                filters[pane] = RowFilter(text + String(c))
            }
        }
        tables[pane] = TableState(selected: 0, offset: 0)
        selectedIDs[pane] = nil
    }

    /// Carries out a command. `view` is the pane as shown (nil when it came from the command line).
    public mutating func perform(_ command: AppCommand, view: PaneView?, visibleRows: Int, now: Date) -> [AppEffect] {
        let count = view?.rows.count ?? 0
        let original = pane
        var table = tables[pane] ?? TableState(selected: count > 0 ? 0 : nil)
        switch command {
        case .showPane(let p): pane = p
        case .nextPane: pane = pane.next
        case .previousPane: pane = pane.previous
        case .openCommandLine:
            mode = .command("")
            return [.refreshCompletions]
        case .openFilter: mode = .filter(filters[pane]?.text ?? "")
        case .toggleHelp: mode = .help(offset: 0)
        case .moveUp: table.moveSelection(by: -1, rowCount: count, visibleRows: visibleRows)
        case .moveDown: table.moveSelection(by: 1, rowCount: count, visibleRows: visibleRows)
        case .pageUp: table.pageUp(rowCount: count, visibleRows: visibleRows)
        case .pageDown: table.pageDown(rowCount: count, visibleRows: visibleRows)
        case .first: table.selectFirst(rowCount: count, visibleRows: visibleRows)
        case .last: table.selectLast(rowCount: count, visibleRows: visibleRows)
        case .drillDown:
            if let view, let i = table.selected, view.rows.indices.contains(i), let target = view.rows[i].drill {
                drills[pane, default: []].append(target)
                outerFilters[pane, default: []].append(filters[pane])
                filters[pane] = nil
                tables[pane] = TableState(selected: 0)
                selectedIDs[pane] = nil
                return []
            }
        case .back:
            if drills[pane]?.isEmpty == false {
                drills[pane]?.removeLast()
                filters[pane] = outerFilters[pane]?.popLast() ?? nil
                tables[pane] = TableState(selected: 0)
                selectedIDs[pane] = nil
                return []
            } else if travel != nil {
                return [.travel(.live)]
            } else if filters[pane] != nil {
                filters[pane] = nil
            }
        case .sort(let letter):
            guard let view, let column = view.columns.firstIndex(where: { $0.title.uppercased().hasPrefix(String(letter)) }) else {
                flash("no column starting with \(letter)", now: now)
                return []
            }
            let current = sorts[pane]
            sorts[pane] = Sort(column: column, ascending: current?.column == column ? !(current!.ascending) : true)
        case .showRawJSON:
            if let view, let i = table.selected, view.rows.indices.contains(i) {
                guard let item = view.rows[i].item else {
                    flash("no raw data for this row", now: now)
                    return []
                }
                return [.showRawJSON(item)]
            }
        case .togglePause:
            if paused.contains(pane) { paused.remove(pane) } else { paused.insert(pane) }
            flash(paused.contains(pane) ? "\(pane.title) paused (capture goes on)" : "\(pane.title) following", now: now)
            return pane.spec.onPause(paused.contains(pane))
        case .spyOperations:
            if drills[.spy]?.last != .spyOperations {
                drills[.spy, default: []].append(.spyOperations)
                outerFilters[.spy, default: []].append(filters[.spy])
                filters[.spy] = nil
            }
            tables[.spy] = TableState(selected: 0)
            selectedIDs[.spy] = nil
            return []
        case .saveSpy:
            return [.saveSpy]
        case .revealSecret:
            if let view, let i = table.selected, view.rows.indices.contains(i) {
                let secret: RevealedSecret
                switch view.rows[i].item {
                case .configValue(let name, let key)?: secret = RevealedSecret(config: name, key: key)
                case .config(let name)?: secret = RevealedSecret(config: name)
                default: return []
                }
                if revealed.remove(secret) == nil { revealed.insert(secret) }
                let what = secret.key.map { "\(secret.config) \($0)" } ?? "values of \(secret.config)"
                flash(revealed.contains(secret) ? "showing \(what) (x hides)" : "\(what) masked again", now: now)
            }
        case .quit:
            shouldQuit = true
            return [.quit]
        case .spy(let id):
            pane = .spy
            return [.spy(componentID: id)]
        case .switchLattice(let name): return [.switchLattice(name)]
        case .switchContext(let name): return [.switchContext(name)]
        case .switchTheme(let name): return [.switchTheme(name)]
        case .operate:
            // Operate keys need the lattice state; `handle` routes them to `beginOperation`.
            return []
        case .travel(let request):
            return [.travel(request)]
        }
        if let view, pane == original {
            tables[original] = table
            noteSelection(in: view, pane: original)
        }
        return []
    }
}
