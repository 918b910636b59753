import Foundation
import Testing
@testable import LatticeTop

/// Effects the UI asks for run off the UI thread and come back through the loop's inputs: the
/// command line's completion lists (theme and wash-context directories) from a cache the effect
/// runner refreshes, and a theme loaded by the runner and applied by the loop.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AppEffectsTests {
    @Test func themeCompletionAndSwitchComeFromTheEffectRunner() async throws {
        try await FaultDashboardTests.withDashboard { _, app in
            await app.pane("1")
            await app.expectScreen("Hosts (3)")
            app.terminal.type(":theme high")
            await app.expectScreen(":theme high▏")
            // The lists arrive from the runner (refreshed when `:` opened): tab completes once they are there.
            let completed = await eventually(timeout: .seconds(10)) {
                if app.terminal.text.contains(":theme high-contrast") { return true }
                app.terminal.press(.tab)
                await app.terminal.settle()
                return app.terminal.text.contains(":theme high-contrast")
            }
            #expect(completed, "tab never completed the theme name:\n\(app.terminal.text)")
            app.terminal.press(.enter)
            // Loaded by the runner, applied by the loop, said on the flash line.
            await app.expectScreen("theme high-contrast")
            await app.expectScreen("Hosts (3)")
        }
    }
}
