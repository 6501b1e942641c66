// swift-tools-version: 6.1
// Partnering: one-to-one meeting scheduling for B2B partnering days.
//
// The targets mirror the architecture: a pure domain core, the scheduler,
// tickets, mail, storage and configuration as adapters, the HTTP service,
// the command-line interface, and a thin `partnering` executable.

import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "partnering",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "partnering", targets: ["partnering"])
    ],
    dependencies: [
        .package(
            url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1",
            traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
            traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // Used directly by Storage and the server, besides through the packages above.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        // Only its `GRDBSQLite` product: the system's SQLite library (libsqlite3-dev), the one
        // SQLite in the process.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // MARK: Domain core: values and rules, Foundation only, no I/O.
        .target(name: "PartneringCore", swiftSettings: strictSettings),

        // MARK: The scheduler: a constraint solver written here, pure Swift.
        .target(name: "Scheduling", dependencies: ["PartneringCore"], swiftSettings: strictSettings),

        // MARK: Files written whole or not at all, shared by every adapter that writes files.
        .target(name: "CSystemCalls"),
        .target(name: "FileSupport", dependencies: ["CSystemCalls"], swiftSettings: strictSettings),
        .target(name: "ThreadSupport", dependencies: ["CSystemCalls"], swiftSettings: strictSettings),

        // MARK: System C libraries.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CQREncode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]),

        // MARK: Adapters around the core.
        .target(
            name: "Tickets", dependencies: ["PartneringCore", "FileSupport", "COpenSSL", "CQREncode"],
            swiftSettings: strictSettings),
        .target(
            name: "Mail",
            dependencies: [
                "PartneringCore", "FileSupport",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "Storage",
            dependencies: [
                "PartneringCore", "ThreadSupport", "FileSupport", "COpenSSL",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "PartneringConfig",
            dependencies: [
                "PartneringCore",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings),

        // MARK: Registration rules: pure services over the repository protocols.
        .target(
            name: "Registration",
            dependencies: [
                "PartneringCore", "Mail", "Tickets", "COpenSSL", "ThreadSupport", "FileSupport",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // MARK: The day: check-in desks (scans, admissions, counters, offline bundles), absences, re-planning.
        .target(
            name: "CheckIn",
            dependencies: [
                "PartneringCore", "Tickets", "FileSupport", "ThreadSupport", "Registration", "Scheduling", "Grids",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),

        // MARK: Meeting grids, agendas and table sheets (HTML, CSV, iCalendar) of a schedule, and the
        // scheduling workflow (runs, adjustments, publication) that produces and publishes it.
        .target(
            name: "Grids", dependencies: ["PartneringCore", "Scheduling", "Mail", "ThreadSupport", "Registration"],
            swiftSettings: strictSettings),

        // MARK: The HTTP service (pages and JSON API).
        .target(
            name: "PartneringServer",
            dependencies: [
                "PartneringCore", "PartneringConfig", "Storage", "Registration", "Tickets", "Mail", "Scheduling",
                "FileSupport", "ThreadSupport",
                "Grids",
                "CheckIn",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings),

        // MARK: Command line: every subcommand of `partnering`.
        .target(
            name: "PartneringCLI",
            dependencies: [
                "PartneringCore", "PartneringConfig", "Storage", "Scheduling", "Tickets", "Mail",
                "PartneringServer", "Grids", "CheckIn", "FileSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "partnering", dependencies: ["PartneringCLI"], swiftSettings: strictSettings),

        // MARK: Tests, next to what they test.
        .testTarget(
            name: "PartneringCoreTests", dependencies: ["PartneringCore"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SchedulingTests",
            dependencies: [
                "Scheduling", "PartneringCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TicketsTests", dependencies: ["Tickets", "PartneringCore"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "MailTests", dependencies: ["Mail", "PartneringCore"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "PartneringCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PartneringConfigTests", dependencies: ["PartneringConfig", "PartneringCore"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "RegistrationTests",
            dependencies: [
                "Registration", "PartneringCore", "PartneringConfig", "Storage",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PartneringServerTests",
            dependencies: [
                "PartneringServer", "PartneringConfig", "Storage", "PartneringCore", "Registration", "Mail",
                "CheckIn", "Tickets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CheckInTests",
            dependencies: [
                "CheckIn", "Tickets", "Storage", "PartneringCore", "PartneringConfig", "Registration", "Scheduling",
                "Grids", "Mail",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "GridsTests", dependencies: ["Grids", "Scheduling", "Mail", "PartneringCore", "ThreadSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "FileSupportTests", dependencies: ["FileSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ThreadSupportTests", dependencies: ["ThreadSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "PartneringCLITests",
            dependencies: ["PartneringCLI", "Scheduling", "PartneringConfig", "PartneringCore"],
            swiftSettings: strictSettings),
    ]
)

// libFuzzer targets, declared only for fuzzing builds (`PARTNERING_FUZZ=1 swift build
// -Xswiftc -sanitize=fuzzer --scratch-path .build-fuzz`): they have no `main` of their own.
if Context.environment["PARTNERING_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support", swiftSettings: strictSettings))
    package.targets.append(
        .executableTarget(
            name: "FuzzScannedTicket", dependencies: ["FuzzSupport", "CheckIn", "Tickets"],
            path: "Fuzz/ScannedTicket",
            swiftSettings: strictSettings))
    package.targets.append(
        .executableTarget(
            name: "FuzzProblemJSON", dependencies: ["FuzzSupport", "Scheduling"], path: "Fuzz/ProblemJSON",
            swiftSettings: strictSettings))
    package.targets.append(
        .executableTarget(
            name: "FuzzEventYAML", dependencies: ["FuzzSupport", "PartneringConfig"], path: "Fuzz/EventYAML",
            swiftSettings: strictSettings))
}
