// swift-tools-version:6.2
// 6.2: the code uses Task.immediate (Swift 6.2), the Swift 6 language mode, typed throws and Synchronization.
import Foundation
import PackageDescription

// Linux only: the transport is epoll and eventfd through Glibc (`Sources/CLinux`). SwiftPM has no way
// to name Linux in `platforms` (it sets Apple deployment targets only), so none is listed, and
// `Sources/Sockets/LinuxOnly.swift` stops a build for any other system with a clear error.

/// The commit checked out, read from `.git` when SwiftPM evaluates the manifest, for
/// `campaign-server --version`; "unknown" outside a git checkout. No plugin and no environment
/// variable. Exact for a fresh clone or an empty `.build`: SwiftPM caches the manifest and the build
/// plan until Package.swift changes, so an incremental build keeps the commit it was planned with.
func checkedOutCommit() -> String {
    var gitDirectory = Context.packageDirectory + "/.git"
    // A worktree or submodule has a `.git` file naming the real directory.
    if let pointer = try? String(contentsOfFile: gitDirectory, encoding: .utf8), pointer.hasPrefix("gitdir: ") {
        gitDirectory = String(pointer.dropFirst(8)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let head = read(gitDirectory + "/HEAD") else { return "unknown" }
    guard head.hasPrefix("ref: ") else { return head }  // a detached HEAD names the commit itself
    let ref = String(head.dropFirst(5))
    // A worktree keeps its branches in the common directory.
    let common = read(gitDirectory + "/commondir").map { $0.hasPrefix("/") ? $0 : gitDirectory + "/" + $0 } ?? gitDirectory
    if let commit = read(gitDirectory + "/" + ref) ?? read(common + "/" + ref) { return commit }
    // Packed refs: lines of "<commit> <ref>".
    let packed = read(common + "/packed-refs") ?? ""
    for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
        return String(line.prefix { $0 != " " })
    }
    return "unknown"
}

let commit = checkedOutCommit()
let package = Package(
    name: "CampaignRealtime",
    products: [
        .executable(name: "campaign-server", targets: ["CampaignServer"]),
        .executable(name: "campaign-bench", targets: ["CampaignBench"]),
        .library(name: "CampaignAPI", targets: ["CampaignAPI"]),
        .library(name: "CampaignApp", targets: ["CampaignApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Reads a PEM key's declared algorithm before swift-crypto parses it (see PublicKeyAlgorithm).
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries and the epoll/eventfd shim (Glibc does not export them).
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The version (committed in BuildInfo.swift) and the commit of this build (from the manifest, above).
        .target(name: "CBuildCommit", cSettings: [
            .define("CAMPAIGN_BUILD_COMMIT", to: "\"\(!commit.isEmpty && commit.allSatisfy { $0.isHexDigit } ? commit : "unknown")\""),
        ]),
        .target(name: "BuildInfo", dependencies: ["CBuildCommit"]),

        .target(name: "Sockets", dependencies: [
            "CLinux",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "HTTP", dependencies: [
            "Sockets", "CZlib",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .target(name: "Postgres", dependencies: [
            "CLibPQ", "Sockets",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Campaign, Phase, Task, HistoryEntry, CampaignEvent, JSON and validation: no I/O.
        .target(name: "CampaignModel", dependencies: ["CLinux"]),
        // The CampaignStore protocol, the PostgreSQL store (with its migrations and its event feed,
        // DatabaseListener), the in-memory store and the event pruner.
        .target(name: "CampaignStore", dependencies: [
            "CampaignModel", "Postgres",
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Migrations")]),
        // CampaignRoom, RoomRegistry, DebounceBuffer: the live stream.
        .target(name: "Realtime", dependencies: [
            "CampaignModel", "CampaignStore", "HTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // JWT (HS256, RS256, ES256; keys from secrets, PEM and JWKS files), access rules and CORS.
        .target(name: "Security", dependencies: [
            "HTTP", "CampaignModel",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // Process metrics read from /proc/self, and counters that follow totals kept elsewhere, on swift-prometheus.
        .target(name: "Telemetry", dependencies: [
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Routes, handlers and errors of the HTTP API.
        .target(name: "CampaignAPI", dependencies: [
            "CampaignModel", "CampaignStore", "Realtime", "Security", "Telemetry", "HTTP", "Sockets",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Settings from the environment and `.env`, with clear errors, and each module's configuration
        // built from them (so it depends on the modules; none of them depends on it).
        .target(name: "ServerConfiguration", dependencies: [
            "CampaignAPI", "CampaignStore", "CampaignModel", "Realtime", "Security", "HTTP", "Postgres",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The composition root: one server instance wired (store, rooms, API, HTTP server, event feed,
        // pruner) from AppConfiguration, run as services of a ServiceGroup.
        .target(name: "CampaignApp", dependencies: [
            "CampaignAPI", "CampaignModel", "CampaignStore", "Realtime", "HTTP", "Postgres", "Sockets",
            "ServerConfiguration", "Security",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "CampaignServer", dependencies: [
            "CampaignApp", "CampaignAPI", "ServerConfiguration", "Security", "Sockets", "BuildInfo",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], resources: [.copy("Resources")]),
        .executableTarget(name: "CampaignBench", dependencies: [
            "CampaignApp", "CampaignAPI", "CampaignModel", "ServerConfiguration", "HTTP", "Sockets", "CLinux",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Benchmarks/CampaignBench"),

        // Shared by the test targets: throwaway PostgreSQL clusters, a raw-socket HTTP client.
        .target(name: "TestSupport", dependencies: ["Sockets"], path: "Tests/TestSupport", exclude: ["mint-tokens.py"]),
        // Shared by the API and integration tests: a real server instance, a JSON client, an SSE client.
        .target(name: "APITestSupport", dependencies: [
            "TestSupport", "CampaignApp", "CampaignAPI", "CampaignModel", "ServerConfiguration", "HTTP", "Realtime", "Security",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/APITestSupport"),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Sockets", "TestSupport", "ServerConfiguration"]),
        .testTarget(name: "PostgresTests", dependencies: ["TestSupport", "Postgres", "Sockets"]),
        .testTarget(name: "CampaignModelTests", dependencies: ["CampaignModel"]),
        .testTarget(name: "CampaignStoreTests", dependencies: [
            "TestSupport", "CampaignStore", "CampaignModel", "Postgres", "ServerConfiguration",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RealtimeTests", dependencies: ["TestSupport", "Realtime", "CampaignStore", "CampaignModel", "HTTP", "ServerConfiguration"]),
        .testTarget(name: "SecurityTests", dependencies: ["Security", "HTTP", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
                                                         .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", .product(name: "Prometheus", package: "swift-prometheus")]),
        .testTarget(name: "BuildInfoTests", dependencies: ["BuildInfo", "TestSupport"]),
        .testTarget(name: "ServerConfigurationTests", dependencies: [
            "ServerConfiguration", "CampaignApp", "CampaignAPI", "CampaignStore", "Realtime", "Security", "HTTP", "Postgres",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "APITestSupport", "TestSupport", "CampaignApp", "CampaignAPI", "CampaignStore", "CampaignModel", "Realtime", "Postgres", "HTTP",
            "ServerConfiguration",
        ]),
        .testTarget(name: "CampaignAPITests", dependencies: ["APITestSupport", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            "CampaignApp", "CampaignAPI", "ServerConfiguration", .product(name: "Logging", package: "swift-log"), "CampaignStore", "CampaignModel", "Realtime", "Security", "HTTP", "Postgres", "Sockets",
        ]),
    ],
    swiftLanguageModes: [.v6]
)

