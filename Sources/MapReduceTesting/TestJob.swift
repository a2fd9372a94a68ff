import Foundation
import MapReduce

/// Runs a whole job in this process on given input, as `JOB run --in-process`
/// does: the real splits, mapper, partitioner, combiner, sort, merge,
/// grouping, reducer and commit, with its intermediate and output files
/// in a temporary directory that is gone when it returns.
///
/// ```swift
/// let output = try await TestJob(WordCount.self, reducers: 2).run(lines: ["to be or not to be"])
/// #expect(output.lines.sorted() == ["be\t2", "not\t1", "or\t1", "to\t2"])
/// ```
public struct TestJob {
    /// Reduce tasks: 0 for a map-only job; nil for the job's `defaultReducers`, else 2.
    public var reducers: Int?
    /// `--param` settings; the job's defaults fill in the rest.
    public var parameters: [String: String]
    /// Bytes of input per map task: small, so that a few lines make several maps.
    public var splitSize: Int64
    /// Whether the job's combiner runs (`--no-combiner` when false).
    public var combiner: Bool
    private let launch: @Sendable (JobConfiguration) async throws -> JobReport

    /// A run of job `J`.
    public init<J: Job>(
        _ job: J.Type, reducers: Int? = nil, parameters: [String: String] = [:], splitSize: Int64 = 64 << 10, combiner: Bool = true
    ) {
        self.init(reducers: reducers, parameters: parameters, splitSize: splitSize, combiner: combiner) { configuration in
            try await InProcessRunner(job: AnyJob(J.self), configuration: configuration).run()
        }
    }

    /// A run of chain `C`, whose last job's output is the output.
    public init<C: JobChain>(
        chain: C.Type, reducers: Int? = nil, parameters: [String: String] = [:], splitSize: Int64 = 64 << 10, combiner: Bool = true
    ) {
        self.init(reducers: reducers, parameters: parameters, splitSize: splitSize, combiner: combiner) { configuration in
            let runner = InProcessChainRunner(
                configuration: configuration, parameters: try configuration.chainParameters(for: AnyChain(C.self)))
            return try await C.run(runner)
        }
    }

    private init(
        reducers: Int?, parameters: [String: String], splitSize: Int64, combiner: Bool,
        launch: @escaping @Sendable (JobConfiguration) async throws -> JobReport
    ) {
        self.reducers = reducers
        self.parameters = parameters
        self.splitSize = splitSize
        self.combiner = combiner
        self.launch = launch
    }

    /// Runs the job over `files`, by name (names may hold `/` for subdirectories); `named`
    /// gives a job with named inputs (`--input NAME=PATH`) its files, by input name.
    public func run(files: [String: [UInt8]], named: [String: [String: [UInt8]]] = [:]) async throws -> JobOutput {
        let directory = ScratchDirectory()
        try FileSystem.makeDirectory(directory.path, access: .ownerOnly)
        defer { directory.remove() }
        var configuration = JobConfiguration(
            inputs: files.isEmpty ? [] : [try directory.write(files, under: "input")], outputDirectory: "\(directory.path)/output")
        for (name, files) in named { configuration.namedInputs[name] = [try directory.write(files, under: "named-\(name)")] }
        configuration.reducers = self.reducers
        configuration.parameters = self.parameters
        configuration.splitSize = self.splitSize
        configuration.combinerDisabled = !self.combiner
        configuration.parallelism = 2
        configuration.workDirectory = directory.path
        let report = try await self.launch(configuration)
        let output = "\(directory.path)/output"
        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.sorted().map { name in
            try FileDescriptor.open(reading: "\(output)/\(name)").readToEnd()
        }
        return JobOutput(parts: parts, counters: report.counters, inputDirectory: "\(directory.path)/input")
    }

    /// Runs the job over `lines`, each ended by a newline, as one input file.
    public func run(lines: [String]) async throws -> JobOutput {
        try await self.run(files: ["input.txt": Array(lines.map { $0 + "\n" }.joined().utf8)])
    }
}
