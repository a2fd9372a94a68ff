// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-mapreduce",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MapReduce", targets: ["MapReduce", "MapReduceCLI"]),
        .executable(name: "wordcount", targets: ["wordcount"]),
        .executable(name: "datagen", targets: ["datagen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CMapReduceZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "MapReduce", dependencies: ["CMapReduceZlib"]),
        .target(
            name: "MapReduceCLI",
            dependencies: ["MapReduce", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "wordcount", dependencies: ["MapReduce", "MapReduceCLI"], path: "Examples/WordCount"),
        .executableTarget(
            name: "datagen",
            dependencies: ["MapReduce", "MapReduceCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "datasets/Generator"
        ),
        .executableTarget(name: "testjobs", dependencies: ["MapReduce", "MapReduceCLI"], path: "Tests/TestJobs"),
        .target(name: "TestSupport", dependencies: ["MapReduce"], path: "Tests/TestSupport"),
        .testTarget(name: "MapReduceTests", dependencies: ["MapReduce", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["MapReduce", "TestSupport", "wordcount", "testjobs"]),
    ]
)
