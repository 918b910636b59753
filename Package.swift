// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "latticetop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "latticetop", targets: ["latticetop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // Thin system-library edges.
        .systemLibrary(
            name: "CNATS",
            pkgConfig: "libnats",
            providers: [.apt(["libnats-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CMallocInfo"),
        // A cache prefetch hint (sorting 100,000 rows reads them a few rows ahead).
        .systemLibrary(name: "CPrefetch"),
        .systemLibrary(
            name: "CCurses",
            providers: [.apt(["libncursesw5-dev"])]
        ),

        // Swift API over cnats: the only code that calls cnats.
        .target(
            name: "NATSKit",
            dependencies: ["CNATS", "CLibCrypto"]
        ),
        // A real nats-server child process on a loopback port (demo and tests).
        .target(name: "EmbeddedNATS", dependencies: ["SignalChain"]),
        // Chained handlers for the signals that end a process (terminal restore, child servers).
        .target(name: "SignalChain"),
        // Wire types and subject builders; no I/O.
        .target(name: "LatticeProtocol"),
        // Cell grid, display widths, styles, themes, widgets, key decoding, curses + in-memory backends.
        .target(
            name: "TerminalUI",
            dependencies: ["CCurses", "SignalChain", .product(name: "Yams", package: "Yams")]
        ),
        // The lattice model: LatticeState, the pure reducer, health, staleness, link findings.
        .target(name: "LatticeState", dependencies: ["LatticeProtocol", .product(name: "DequeModule", package: "swift-collections"),
                                                   .product(name: "HeapModule", package: "swift-collections")]),
        // The subscription actor: owns the lattice subscriptions, syncs, hands inputs over in batches.
        .target(
            name: "LatticeMonitor",
            dependencies: ["NATSKit", "LatticeProtocol", "LatticeClient", "LatticeState", .product(name: "Logging", package: "swift-log")]
        ),
        // Spy: wRPC subscriptions, message decoding, reply pairing, per-operation stats, ring buffer.
        .target(name: "LatticeSpy", dependencies: ["NATSKit", "LatticeProtocol", "LatticeClient", "MallocTuning", .product(name: "DequeModule", package: "swift-collections")]),
        // glibc malloc knobs: fewer arenas, freed pages handed back to the kernel.
        .target(name: "MallocTuning", dependencies: ["CMallocInfo"]),
        // Typed control client over NATSKit.
        .target(name: "LatticeClient", dependencies: ["NATSKit", "LatticeProtocol"]),
        // A simulated wasmCloud 1.x lattice on a real NATS server.
        // It shares no wire type with the client (no LatticeProtocol): it writes the protocol's
        // JSON from its own shapes, so the client's mistakes cannot hide behind it.
        .target(name: "LatticeSim", dependencies: ["NATSKit", .product(name: "HeapModule", package: "swift-collections")]),
        // Embedded nats-server process management, config (flags, env, wash contexts), commands.
        .target(
            name: "LatticeTop",
            dependencies: [
                "NATSKit", "LatticeProtocol", "LatticeClient", "LatticeSim", "EmbeddedNATS", "LatticeState", "LatticeMonitor",
                "TerminalUI", "LatticeSpy", "MallocTuning", "CPrefetch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "latticetop",
            dependencies: ["LatticeTop", "MallocTuning", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            plugins: ["BuildInfo"]
        ),
        // Writes the git commit the sources are at into the executable (`--version`) when the checkout or a source changes.
        .plugin(name: "BuildInfo", capability: .buildTool()),

        // Test support: starts and stops real nats-server processes.
        .target(name: "NATSTestSupport", dependencies: ["EmbeddedNATS", "NATSKit"], path: "Tests/NATSTestSupport"),
        // Test support: the fixture files in Tests/Fixtures, the repository's own scripts, random lattice histories.
        .target(name: "TestFixtures", dependencies: ["LatticeState", "LatticeProtocol"], path: "Tests/TestFixtures"),
        .testTarget(name: "NATSKitTests", dependencies: ["NATSKit", "NATSTestSupport"]),
        .testTarget(name: "LatticeProtocolTests", dependencies: ["LatticeProtocol", "TestFixtures", "MallocTuning"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(
            name: "LatticeSpyTests",
            dependencies: ["LatticeSpy", "LatticeSim", "LatticeClient", "NATSKit", "EmbeddedNATS", "LatticeProtocol", "LatticeTop", "TerminalUI",
                           "TestFixtures"]
        ),
        .testTarget(
            name: "LatticeStateTests",
            dependencies: ["LatticeState", "LatticeProtocol", "TestFixtures", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "LatticeTopTests",
            dependencies: [
                "LatticeTop", "LatticeClient", "LatticeSim", "NATSKit", "LatticeProtocol", "NATSTestSupport",
                "LatticeState", "LatticeMonitor", "TerminalUI", "TestFixtures", "MallocTuning",
            ],
            exclude: ["Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harnesses, one executable per decoder (Fuzz/<Name>/main.swift). They exist only when
// LATTICETOP_FUZZ=1 (scripts/fuzz.sh sets it and builds them with -sanitize=fuzzer), so the
// normal build and test runs never see them.
if Context.environment["LATTICETOP_FUZZ"] == "1" {
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzCtlReplies", ["LatticeProtocol", "LatticeState"]),
        ("FuzzLatticeEvents", ["LatticeProtocol", "LatticeState"]),
        ("FuzzV2Heartbeat", ["LatticeProtocol", "LatticeState"]),
        ("FuzzWRPCMessages", ["LatticeProtocol", "LatticeSpy"]),
        ("FuzzSpyRecords", ["LatticeSpy"]),
        ("FuzzThemes", ["TerminalUI"]),
        ("FuzzWashContexts", ["LatticeTop"]),
    ]
    package.targets.append(.target(name: "LibFuzzerDriver", path: "Fuzz/LibFuzzerDriver"))
    for harness in harnesses {
        package.targets.append(.executableTarget(
            name: harness.name, dependencies: harness.dependencies + ["LibFuzzerDriver"], path: "Fuzz/\(harness.name)"))
    }
}
