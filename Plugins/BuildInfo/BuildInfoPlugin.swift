import Foundation
import PackagePlugin

/// Writes `GeneratedBuildInfo.swift` (the git commit the sources are at) into the target, by
/// `scripts/build-info.sh`. It is a build command whose inputs are git's record of where the
/// checkout is (`HEAD`, the branch's ref, `packed-refs`, the index) and the package's sources:
/// SwiftPM runs it whenever one of them changes, also when nothing else needs building (a prebuild command is skipped when
/// SwiftPM reuses its build plan, so a commit of documentation alone left the old commit in the
/// binary). The script rewrites the file only when its text changes, so an unchanged tree
/// recompiles nothing. Without git, or outside a git checkout, the commit is "unknown".
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("generated", isDirectory: true)
        let package = context.package.directoryURL
        let script = package.appendingPathComponent("scripts/build-info.sh")
        return [
            .buildCommand(displayName: "Recording the git commit of \(target.name)",
                          executable: URL(fileURLWithPath: "/bin/sh"),
                          arguments: [script.path, package.path, output.path],
                          inputFiles: [script] + GitCheckout.stateFiles(of: package) + sources(of: context.package),
                          outputFiles: [output.appendingPathComponent("GeneratedBuildInfo.swift")]),
        ]
    }
}

/// Every source file of the package's targets: an edit makes the commit "+changes".
private func sources(of package: Package) -> [URL] {
    package.targets.compactMap { $0 as? SourceModuleTarget }.flatMap { $0.sourceFiles.map(\.url) }
}

/// The files git changes when the checkout moves to another commit.
enum GitCheckout {
    /// `HEAD`, its reflog, the ref it names, `packed-refs` and the index, of the repository or worktree at
    /// `directory` (`.git` a directory, or a file `gitdir: …` in a worktree); those that exist.
    static func stateFiles(of directory: URL) -> [URL] {
        let manager = FileManager.default
        let dotGit = directory.appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return [] }
        var gitDirectory = dotGit
        if !isDirectory.boolValue {
            guard let line = read(dotGit), line.hasPrefix("gitdir:") else { return [] }
            gitDirectory = resolve(String(line.dropFirst("gitdir:".count)).trimmingCharacters(in: .whitespaces), against: directory)
        }
        var common = gitDirectory
        if let path = read(gitDirectory.appendingPathComponent("commondir")) {
            common = resolve(path, against: gitDirectory)
        }
        // logs/HEAD (the reflog) grows with every commit, checkout and reset, also of a branch whose
        // ref was packed when the build plan was made.
        var files = [gitDirectory.appendingPathComponent("HEAD"), gitDirectory.appendingPathComponent("logs/HEAD"),
                     gitDirectory.appendingPathComponent("index"), common.appendingPathComponent("packed-refs")]
        if let head = read(gitDirectory.appendingPathComponent("HEAD")), head.hasPrefix("ref:") {
            files.append(common.appendingPathComponent(String(head.dropFirst("ref:".count)).trimmingCharacters(in: .whitespaces)))
        }
        return files.filter { manager.fileExists(atPath: $0.path) }
    }

    static func read(_ url: URL) -> String? {
        (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path).standardizedFileURL
    }
}
