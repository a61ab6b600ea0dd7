// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CampaignRealtime",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "campaign-server", targets: ["CampaignServer"]),
        .executable(name: "campaign-bench", targets: ["CampaignBench"]),
        .library(name: "CampaignAPI", targets: ["CampaignAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // System libraries and the epoll/eventfd shim (Glibc does not export them).
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "Sockets", dependencies: [
            "CLinux",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "HTTP", dependencies: [
            "Sockets", "CZlib",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Postgres", dependencies: [
            "CLibPQ", "Sockets",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Campaign, Phase, Task, HistoryEntry, CampaignEvent, JSON and validation: no I/O.
        .target(name: "CampaignModel", dependencies: ["CLinux"]),
        // The CampaignStore protocol, the PostgreSQL store (with its migrations) and the in-memory store.
        .target(name: "CampaignStore", dependencies: [
            "CampaignModel", "Postgres",
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Migrations")]),
        // CampaignRoom, RoomRegistry, DatabaseListener, DebounceBuffer: the live stream.
        .target(name: "Realtime", dependencies: [
            "CampaignModel", "CampaignStore", "HTTP", "Postgres", "Sockets",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // JWT (HS256), access rules and CORS.
        .target(name: "Security", dependencies: [
            "HTTP", "CampaignModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Process metrics read from /proc/self, and counters that follow totals kept elsewhere, on swift-prometheus.
        .target(name: "Telemetry", dependencies: [
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Settings from the environment and `.env`, with clear errors.
        .target(name: "ServerConfiguration", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Routes, handlers, errors and the wiring of one server instance.
        .target(name: "CampaignAPI", dependencies: [
            "CampaignModel", "CampaignStore", "Realtime", "Security", "Telemetry", "ServerConfiguration",
            "HTTP", "Postgres", "Sockets",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "CampaignServer", dependencies: [
            "CampaignAPI", "ServerConfiguration", "Security", "Sockets",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], resources: [.copy("Resources")]),
        .executableTarget(name: "CampaignBench", dependencies: [
            "CampaignAPI", "CampaignModel", "HTTP", "Sockets", "CLinux",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Benchmarks/CampaignBench"),

        // Shared by the test targets: throwaway PostgreSQL clusters, a raw-socket HTTP client.
        .target(name: "TestSupport", dependencies: ["Sockets"], path: "Tests/TestSupport"),
        // Shared by the API and integration tests: a real server instance, a JSON client, an SSE client.
        .target(name: "APITestSupport", dependencies: [
            "TestSupport", "CampaignAPI", "CampaignModel", "HTTP", "Realtime", "Security",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/APITestSupport"),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Sockets", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["TestSupport", "Postgres", "Sockets"]),
        .testTarget(name: "CampaignModelTests", dependencies: ["CampaignModel"]),
        .testTarget(name: "CampaignStoreTests", dependencies: ["TestSupport", "CampaignStore", "CampaignModel", "Postgres"]),
        .testTarget(name: "RealtimeTests", dependencies: ["TestSupport", "Realtime", "CampaignStore", "CampaignModel", "HTTP"]),
        .testTarget(name: "SecurityTests", dependencies: ["Security", "HTTP"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", .product(name: "Prometheus", package: "swift-prometheus")]),
        .testTarget(name: "ServerConfigurationTests", dependencies: ["ServerConfiguration"]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "APITestSupport", "TestSupport", "CampaignAPI", "CampaignStore", "CampaignModel", "Realtime", "Postgres", "HTTP",
        ]),
        .testTarget(name: "CampaignAPITests", dependencies: ["APITestSupport", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            "CampaignAPI", "CampaignStore", "CampaignModel", "Realtime", "Security", "HTTP", "Postgres", "Sockets",
        ]),
    ],
    swiftLanguageModes: [.v6]
)

