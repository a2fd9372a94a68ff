/// A sequence of jobs that one invocation runs, on one cluster whose workers
/// stay up between them: iterative algorithms such as PageRank, where each
/// job reads the output of the one before and the chain decides from a job's
/// counters whether to run another.
public protocol JobChain: SendableMetatype {
    /// The chain's `--param` settings as typed properties; by default none.
    associatedtype Parameters: ParameterSet = NoParameters
    /// The chain's name on the command line; by default the type's name, lowercased.
    static var name: String { get }
    /// The `--param` settings the chain reads; others are refused. By default those of `Parameters`.
    static var parameters: [JobParameter] { get }
    /// Every job the chain may run (each worker must have them).
    static var jobs: [AnyJob] { get }
    /// Runs the chain, one job at a time, through `runner`; returns the last job's report.
    static func run(_ runner: any ChainRunner) async throws -> JobReport
}

extension JobChain {
    /// The type's name, lowercased.
    public static var name: String { String(describing: Self.self).lowercased() }
    /// The parameters that `Parameters` declares.
    public static var parameters: [JobParameter] { Parameters.declared }
}

/// Runs the jobs of a chain: in this process, or on a cluster.
public protocol ChainRunner: Sendable {
    /// What the user asked for: the chain's inputs, output directory, reducers and other settings.
    var configuration: JobConfiguration { get }
    /// The chain's parameters, checked, with defaults filled in.
    var parameters: JobParameters { get }
    /// Runs `job` over `inputs` into the directory `output`, with the job parameters
    /// `parameters` and the chain's other settings.
    func run(_ job: AnyJob, inputs: [String], output: String, parameters: [String: String]) async throws -> JobReport
}

/// A chain with its type erased, for an executable to hold and pick by name.
public struct AnyChain: Sendable {
    /// The chain's name, which `--job` picks it by.
    public let name: String
    /// The parameters the chain declares.
    public let parameters: [JobParameter]
    /// Parses the chain's typed parameters, throwing on one that does not parse or fit.
    public let validate: @Sendable (JobParameters) throws -> Void
    /// Every job the chain may run.
    public let jobs: [AnyJob]
    /// Runs the chain through a runner; returns the last job's report.
    public let run: @Sendable (any ChainRunner) async throws -> JobReport

    /// Erases `chain`.
    public init<C: JobChain>(_ chain: C.Type) {
        self.name = C.name
        self.parameters = C.parameters
        self.validate = { _ = try C.Parameters($0) }
        self.jobs = C.jobs
        self.run = { try await C.run($0) }
    }
}

/// The output directory of a chain: each job writes into `_temporary/iterations/<n>`
/// inside it, and the chosen one's part files are committed into it at the
/// end, so that the directory holds nothing but a finished result.
public struct ChainOutput: Sendable {
    private let committer: OutputCommitter

    /// Checks and prepares the chain's output directory, as a job's.
    public init(_ configuration: JobConfiguration) throws {
        self.committer = try OutputCommitter.prepare(directory: configuration.outputDirectory, overwrite: configuration.overwrite)
    }

    /// Where job number `number` of the chain writes.
    public func iteration(_ number: Int) -> String {
        "\(self.committer.temporaryDirectory)/iterations/\(number)"
    }

    /// Commits the part files of `directory` (a job's output) and `report` as the chain's output.
    public func publish(_ directory: String, report: JobReport) throws {
        try self.committer.commit(partsOf: directory, documents: try report.documents())
    }

    /// Removes what the chain wrote.
    public func abort() {
        self.committer.abort()
    }
}
