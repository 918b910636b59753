/// What `latticetop --version` prints: the release and the git commit the binary was built from
/// (`GeneratedBuildInfo`, written by the BuildInfo plugin when the checkout or the sources change).
enum Version {
    /// The release; scripts/package-deb names the package after it.
    static let number = "0.1.0"

    /// "0.1.0 (commit 4b76bc4104ac)"; "+changes" marks a build from uncommitted changes, "unknown" one
    /// made without git or outside a git checkout.
    static var line: String { "\(number) (commit \(GeneratedBuildInfo.commit))" }
}
