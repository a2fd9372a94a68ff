// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-mapreduce",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MapReduce", targets: ["MapReduce", "MapReduceCluster", "MapReduceWeb", "MapReduceCLI"]),
        .library(name: "MapReduceTesting", targets: ["MapReduceTesting"]),
        .executable(name: "wordcount", targets: ["wordcount"]),
        .executable(name: "grep", targets: ["grep"]),
        .executable(name: "invertedindex", targets: ["invertedindex"]),
        .executable(name: "accesslog", targets: ["accesslog"]),
        .executable(name: "reverselinks", targets: ["reverselinks"]),
        .executable(name: "join", targets: ["join"]),
        .executable(name: "terasort", targets: ["terasort"]),
        .executable(name: "pagerank", targets: ["pagerank"]),
        .executable(name: "topn", targets: ["topn"]),
        .executable(name: "datagen", targets: ["datagen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMapReduceZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(name: "CMapReduceMalloc"),
        .systemLibrary(name: "CMapReducePrefetch"),
        .systemLibrary(name: "CMapReduceSpawn"),
        .target(
            name: "MapReduce", dependencies: ["CMapReduceZlib", "CMapReduceMalloc", "CMapReducePrefetch"],
            // What a mapper reads (`Line`, `Word`, `WholeFile`, ...) is non-escapable: the compiler
            // keeps it from outliving the `map` call. Declaring such types and returning them needs these.
            swiftSettings: [.enableExperimentalFeature("Lifetimes"), .enableExperimentalFeature("SuppressedAssociatedTypes")]
        ),
        .target(
            name: "MapReduceCluster",
            dependencies: [
                "MapReduce", "CMapReduceSpawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "MapReduceWeb",
            dependencies: [
                "MapReduce", "MapReduceCluster",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "MapReduceCLI",
            dependencies: [
                "MapReduce", "MapReduceCluster", "MapReduceWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "wordcount", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/WordCount"),
        .executableTarget(name: "grep", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/Grep"),
        .executableTarget(name: "invertedindex", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/InvertedIndex"),
        .executableTarget(name: "accesslog", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/AccessLog"),
        .executableTarget(name: "reverselinks", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/ReverseLinks"),
        .executableTarget(name: "join", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/Join"),
        .executableTarget(name: "terasort", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/TeraSort"),
        .executableTarget(name: "pagerank", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/PageRank"),
        .executableTarget(name: "topn", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/TopN"),
        .executableTarget(
            name: "datagen",
            dependencies: ["MapReduce", "MapReduceCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "datasets/Generator"
        ),
        .target(name: "MapReduceTesting", dependencies: ["MapReduce"]),
        .target(name: "CFuzzDriver"),
        .target(
            name: "FuzzTargets",
            dependencies: [
                "MapReduce", "MapReduceCluster", "CFuzzDriver", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "fuzz-frames", dependencies: ["FuzzTargets"], path: "Fuzz/Frames"),
        .executableTarget(name: "fuzz-spill", dependencies: ["FuzzTargets"], path: "Fuzz/Spill"),
        .executableTarget(name: "fuzz-splitter", dependencies: ["FuzzTargets"], path: "Fuzz/Splitter"),
        .executableTarget(name: "fuzz-commit", dependencies: ["FuzzTargets"], path: "Fuzz/Commit"),
        .executableTarget(name: "fuzz-handshake", dependencies: ["FuzzTargets"], path: "Fuzz/Handshake"),
        .executableTarget(name: "testjobs", dependencies: ["MapReduce", "MapReduceCLI", "TestSupport"], path: "Tests/TestJobs"),
        .executableTarget(
            name: "simulate-cluster",
            dependencies: [
                "MapReduce", "MapReduceCluster", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/SimulateCluster"
        ),
        .target(name: "TestSupport", dependencies: ["MapReduce"], path: "Tests/TestSupport"),
        .testTarget(name: "MapReduceTests", dependencies: ["MapReduce", "TestSupport"]),
        .testTarget(
            name: "ExampleTests",
            dependencies: [
                "MapReduce", "MapReduceTesting", "TestSupport", "wordcount", "grep", "invertedindex", "accesslog", "reverselinks",
                "join", "terasort", "pagerank", "topn",
            ]
        ),
        .testTarget(
            name: "MapReduceClusterTests",
            dependencies: [
                "MapReduceCluster", "TestSupport", "FuzzTargets",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "EndToEndTests", dependencies: [
                "MapReduce", "MapReduceCluster", "TestSupport", "wordcount", "testjobs", "datagen", "grep", "invertedindex", "accesslog", "reverselinks",
                "join", "terasort", "pagerank", "simulate-cluster",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
