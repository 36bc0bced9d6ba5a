// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Furrow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "furrow", targets: ["furrow"]),
        .executable(name: "furrow-branch", targets: ["furrow-branch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
    ],
    targets: [
        // The only code that names ncurses; see docs/architecture.md.
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // Pure domain: values, validators, money, tiers, pinyin. Foundation only.
        .target(name: "FurrowCore"),
        // The one front door to SQLite.
        .target(
            name: "FurrowStore",
            dependencies: [
                "FurrowCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw C API, for the bulk import path and the "same SQL raw" benchmark baseline.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // Sealing ID numbers, mobiles and addresses at rest (AES-GCM-SIV, PBKDF2).
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Core-banking extract reader and the demo-branch generator.
        .target(name: "FurrowImport", dependencies: ["FurrowCore", "FurrowStore"]),
        // Cells, display width and text layout; never ncurses (docs/architecture.md).
        // Where each key of a TOML text is, for FILE:LINE errors (themes, the rules file).
        .target(name: "TOMLSupport", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "TerminalUI", dependencies: ["TOMLSupport", .product(name: "TOMLKit", package: "TOMLKit")]),
        // The rules file: every threshold of domain.md, read and checked.
        .target(name: "FurrowRulesFile", dependencies: ["FurrowCore", "TOMLSupport", .product(name: "TOMLKit", package: "TOMLKit")]),
        // The only code that calls ncurses: terminal set-up, keys, flushing changed cells.
        .target(name: "TerminalCurses", dependencies: ["TerminalUI", "CNcursesw"]),
        // Screens: state, keys → actions, pure presenters, drawing into a ScreenBuffer.
        .target(
            name: "Workstation",
            dependencies: [
                "FurrowCore", "FurrowStore", "TerminalUI", "TOMLSupport", .product(name: "TOMLKit", package: "TOMLKit"),
                // PBKDF2 for the lock PIN.
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // What the workstation and the branch server say to each other (docs/sync.md), and the
        // client's sync engine.
        .target(name: "FurrowSync", dependencies: ["FurrowCore", "FurrowStore",
                                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                   .product(name: "NIOCore", package: "swift-nio"),
                                                   .product(name: "NIOFoundationCompat", package: "swift-nio"),
                                                   .product(name: "NIOHTTP1", package: "swift-nio"),
                                                   .product(name: "NIOPosix", package: "swift-nio"),
                                                   .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        // The branch server: login, push, pull over HTTP, on the branch's store.
        .target(
            name: "FurrowServer",
            dependencies: [
                "FurrowCore", "FurrowStore", "FurrowSync", "FurrowImport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // `furrow-branch bench sync`: the sync figures against a real server process.
        .target(name: "FurrowSyncBench", dependencies: ["FurrowServer", "FurrowSync", "FurrowStore", "FurrowCore",
                                                        .product(name: "AsyncHTTPClient", package: "async-http-client")]),
        .executableTarget(
            name: "furrow-branch",
            dependencies: ["FurrowServer", "FurrowSync", "FurrowSyncBench", "FurrowStore", "FurrowCore",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // `furrow bench`: the figures of docs/benchmarks.md.
        .target(name: "FurrowBench", dependencies: ["FurrowCore", "FurrowStore", "FurrowImport", "TerminalUI", "Workstation"]),
        .executableTarget(
            name: "furrow",
            dependencies: [
                "FurrowCore", "FurrowStore", "FurrowImport", "FurrowBench", "FurrowRulesFile", "TerminalUI", "TerminalCurses",
                "Workstation", "FurrowSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What several test targets share (threads of their own for suites that block, a
        // store's rows as text). Only test targets depend on it.
        .target(name: "FurrowTestSupport", dependencies: ["FurrowStore", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Tests/FurrowTestSupport"),
        .testTarget(
            name: "FurrowCoreTests",
            dependencies: ["FurrowCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "FurrowStoreTests", dependencies: ["FurrowCore", "FurrowStore"]),
        .testTarget(
            name: "FurrowImportTests",
            dependencies: ["FurrowCore", "FurrowStore", "FurrowImport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "FurrowRulesFileTests", dependencies: ["FurrowCore", "FurrowRulesFile"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "WorkstationTests", dependencies: ["Workstation", "FurrowCore", "FurrowStore", "TerminalUI"],
                    exclude: ["Golden"]),
        .testTarget(name: "CNcurseswTests", dependencies: ["CNcursesw"]),
        .testTarget(
            name: "FurrowServerTests",
            dependencies: ["FurrowServer", "FurrowSync", "FurrowStore", "FurrowCore", "FurrowTestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types")]
        ),
        .testTarget(
            name: "FurrowSyncTests",
            dependencies: ["FurrowSync", "FurrowServer", "FurrowStore", "FurrowCore", "FurrowTestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "FurrowCLITests", dependencies: ["furrow", "FurrowCore", "FurrowStore", "FurrowSync", "FurrowTestSupport",
                                                   .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
