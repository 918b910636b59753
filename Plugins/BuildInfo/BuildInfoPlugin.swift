import Foundation
import PackagePlugin

/// Before every build, writes `GeneratedBuildInfo.swift` (the git commit the sources are at) into
/// the target, by `scripts/build-info.sh`. The file is rewritten only when the commit changes, so an
/// unchanged tree recompiles nothing. Without git, or outside a git checkout, the commit is "unknown".
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("generated", isDirectory: true)
        let package = context.package.directoryURL
        let script = package.appendingPathComponent("scripts/build-info.sh")
        return [
            .prebuildCommand(displayName: "Recording the git commit of \(target.name)",
                             executable: URL(fileURLWithPath: "/bin/sh"),
                             arguments: [script.path, package.path, output.path],
                             outputFilesDirectory: output),
        ]
    }
}
