// swift-tools-version:6.0
import PackageDescription

// The graph: C system libraries at the bottom, a pure core (no I/O, no C), one adapter per
// outside system, and a thin executable that wires them together.
// The upcoming-language settings every target of ours compiles with, as the anchor packages do:
// `any` spelled out, a module's members visible only where it is imported, imports internal
// unless a public declaration needs them (`public import`).
let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "auditwatch",
    products: [
        .executable(name: "auditwatch", targets: ["auditwatch"]),
        .library(name: "AuditwatchCore", targets: ["AuditwatchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Metrics on swift-prometheus's registry (help text on every family), and a small
        // HTTP server without SwiftNIO for /healthz, /readyz and /metrics.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // The server ecosystem's logging API and service lifecycle (signals, graceful shutdown).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "AuditwatchCore"),
        // The console's HTML (server-rendered, escaped, no script): pure rendering over a snapshot.
        .target(name: "AuditwatchConsole", dependencies: ["AuditwatchCore"]),
        // Self-contained HTML reports with inline SVG charts (backtest --report, rules diff --report): pure.
        .target(name: "AuditwatchReports", dependencies: ["AuditwatchCore", "AuditwatchConsole"]),
        // The state stores: the SQLite file (the default) and PostgreSQL, behind core's `StateStore`.
        .target(name: "AuditwatchState", dependencies: ["AuditwatchCore", "CSQLite", "CPostgres"]),
        .target(name: "AuditwatchYAML", dependencies: ["AuditwatchCore", "CYAML"]),
        // The system's IANA zone database (tzdata), the tool's ZoneLookup.
        .target(name: "AuditwatchZones", dependencies: ["AuditwatchCore"]),
        // auditwatch.yml, the environment and secret files: loading, secret resolution, notifier settings.
        .target(name: "AuditwatchConfig", dependencies: ["AuditwatchCore", "AuditwatchYAML", "AuditwatchZones"]),
        .target(name: "AuditwatchHTTP", dependencies: ["AuditwatchCore", "CCurl"]),
        .target(
            name: "AuditwatchNotify",
            dependencies: ["AuditwatchCore", "AuditwatchConfig"]),
        .target(name: "AuditwatchSources", dependencies: ["AuditwatchCore"]),
        .target(
            name: "AuditwatchRuleTests",
            dependencies: ["AuditwatchCore", "AuditwatchYAML", "AuditwatchZones", "AuditwatchSources"]),
        .target(
            name: "AuditwatchService",
            dependencies: [
                "AuditwatchCore", "AuditwatchSources", "AuditwatchNotify", "AuditwatchHTTP", "AuditwatchConfig",
                "AuditwatchConsole",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        // The application layer: what each command does (rule runs, backtests, diffs, test reports,
        // the service's assembly), throwing typed errors; no argument parsing, no process exit.
        .target(
            name: "AuditwatchApp",
            dependencies: [
                "AuditwatchCore", "AuditwatchYAML", "AuditwatchSources", "AuditwatchHTTP", "AuditwatchState",
                "AuditwatchRuleTests", "AuditwatchNotify", "AuditwatchService", "AuditwatchConfig", "AuditwatchZones",
                "AuditwatchReports",
            ]),
        // The executable: commands (options, validation, a call into the app layer) and one reporter.
        .executableTarget(
            name: "auditwatch",
            dependencies: [
                "AuditwatchApp", "AuditwatchCore", "AuditwatchSources", "AuditwatchState", "AuditwatchNotify",
                "AuditwatchService", "AuditwatchConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AuditwatchCoreTests", dependencies: ["AuditwatchCore"]),
        .testTarget(name: "AuditwatchConsoleTests", dependencies: ["AuditwatchConsole", "AuditwatchCore"]),
        .testTarget(
            name: "AuditwatchYAMLTests",
            dependencies: ["AuditwatchYAML", "AuditwatchCore", "AuditwatchZones", "AuditwatchConfig"]),
        .testTarget(
            name: "AuditwatchReportsTests",
            dependencies: ["AuditwatchReports", "AuditwatchCore", "AuditwatchConsole", "AuditwatchTestSupport"]),
        // Loopback servers and fixtures shared by the test targets; never linked into the tool.
        .target(name: "AuditwatchTestSupport", dependencies: ["AuditwatchCore"], path: "Tests/AuditwatchTestSupport"),
        .testTarget(
            name: "AuditwatchHTTPTests", dependencies: ["AuditwatchHTTP", "AuditwatchCore", "AuditwatchTestSupport"]),
        .testTarget(
            name: "AuditwatchSourcesTests",
            dependencies: ["AuditwatchSources", "AuditwatchCore", "AuditwatchTestSupport", "AuditwatchHTTP"]),
        .testTarget(
            name: "AuditwatchStateTests", dependencies: ["AuditwatchState", "AuditwatchCore", "AuditwatchTestSupport"]),
        .testTarget(
            name: "AuditwatchNotifyTests",
            dependencies: [
                "AuditwatchNotify", "AuditwatchCore", "AuditwatchState", "AuditwatchTestSupport", "AuditwatchHTTP",
                "AuditwatchConfig",
            ]),
        .testTarget(
            name: "AuditwatchConfigTests",
            dependencies: [
                "AuditwatchConfig", "AuditwatchCore", "AuditwatchYAML", "AuditwatchZones", "AuditwatchTestSupport",
            ]),
        .testTarget(
            name: "AuditwatchServiceTests",
            dependencies: [
                "AuditwatchService", "AuditwatchTestSupport", "AuditwatchConfig", "AuditwatchCore", "AuditwatchHTTP",
                "AuditwatchState", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "AuditwatchAppTests",
            dependencies: [
                "AuditwatchApp", "AuditwatchCore", "AuditwatchState", "AuditwatchTestSupport", "AuditwatchConfig",
                "AuditwatchService", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "auditwatchTests",
            dependencies: [
                "auditwatch", "AuditwatchApp", "AuditwatchTestSupport", "AuditwatchState", "AuditwatchCore",
                "AuditwatchHTTP",
            ]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing (docs/fuzzing.md). The targets' entry points are a small library that the corpus
// replay tests use; the libFuzzer executables exist only when AUDITWATCH_FUZZ=1 (`make fuzz`),
// because they link libFuzzer's runtime and need `-sanitize=fuzzer`.
let fuzzTargets = ["json", "events", "regex", "yaml", "rules", "condition", "config"]
package.targets += [
    .target(
        name: "AuditwatchFuzzTargets",
        dependencies: [
            "AuditwatchCore", "AuditwatchYAML", "AuditwatchZones", "AuditwatchSources", "AuditwatchNotify",
            "AuditwatchConfig",
        ],
        path: "Fuzz/Sources/AuditwatchFuzzTargets"
    ),
    .testTarget(name: "AuditwatchFuzzTests", dependencies: ["AuditwatchFuzzTargets"]),
]
if Context.environment["AUDITWATCH_FUZZ"] == "1" {
    for name in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["AuditwatchFuzzTargets"], path: "Fuzz/Drivers/\(name)"))
        package.products.append(.executable(name: "fuzz-\(name)", targets: ["fuzz-\(name)"]))
    }
}

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + upcomingFeatures
}
