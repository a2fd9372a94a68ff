import Foundation

/// Everything a user says about one run of a job.
public struct JobConfiguration: Hashable, Sendable {
    /// Files, directories and globs to read.
    public var inputs: [String]
    /// For a job with named inputs: the files, directories and globs of each.
    public var namedInputs: [String: [String]] = [:]
    /// The directory the part files are committed to.
    public var outputDirectory: String
    /// The number of reduce tasks; nil for the job's default.
    public var reducers: Int?
    /// Bytes of input per map task; nil for `defaultSplitSize(for:)`.
    public var splitSize: Int64?
    /// The largest file a mapper that reads whole files may get, in bytes.
    public var maxWholeFile: Int64 = WholeFileInput.defaultMaxFileSize
    /// Memory for each map task's output before it spills, in MiB (1 to 2047; `--sort-buffer-mb`).
    public var sortBufferMB: Int = 64
    /// The zlib level of intermediate files, 0 (stored) to 9 (`--compression-level`).
    public var compressionLevel: Int = 1
    /// The most sorted inputs one merge reads at once (`--merge-factor`).
    public var mergeFactor: Int = TaskSettings.defaultMergeFactor
    /// Whether to run without the job's combiner (`--no-combiner`).
    public var combinerDisabled = false
    /// `--param name=value` settings.
    public var parameters: [String: String] = [:]
    /// Whether to replace the output of an earlier run in `outputDirectory`.
    public var overwrite = false
    /// Whether to take over the unfinished output of a run whose master died, keeping its task
    /// commits (`master --recover`), instead of starting a fresh output.
    public var resumesOutput = false
    /// Where intermediate files go; nil for a fresh directory under the system's temporary directory.
    public var workDirectory: String?
    /// How many tasks run at once; nil for one per core.
    public var parallelism: Int?
    /// The worker slots of the cluster the job runs on: its number of reduce
    /// tasks when neither `reducers` nor the job sets one. Nil: `parallelism`
    /// (one per core when that is nil too), as for a job run in one process.
    public var slots: Int?

    /// Makes the settings of a run of `inputs` into `outputDirectory`, the rest at their defaults.
    public init(inputs: [String], outputDirectory: String) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
    }

    /// The split size of a job whose own combiner folds its map output.
    public static let combinedSplitSize: Int64 = 64 << 20

    /// The split size when `--split-size` is not given: 64 MiB for a job whose
    /// combiner folds its map output (which is then small), otherwise half the
    /// sort buffer, so that a map whose output is about the size of its input
    /// (a sort, a join) spills once and writes no spill it must merge again.
    public func defaultSplitSize(for job: AnyJob) -> Int64 {
        job.hasCombiner && !self.combinerDisabled ? Self.combinedSplitSize : Int64(self.sortBufferMB) << 19
    }

    /// Checks the settings against `job` and fills in its defaults.
    public func validated(for job: AnyJob) throws(JobError) -> (reducers: Int, splitSize: Int64, parameters: JobParameters) {
        let reducers = self.reducers ?? job.defaultReducers ?? self.slots ?? self.parallelism ?? ProcessInfo.processInfo.activeProcessorCount
        guard reducers >= 0 else { throw JobError("--reducers must be at least 0 (a map-only job), not \(reducers)") }
        guard reducers <= SortBuffer.maxPartition + 1 else {
            throw JobError("--reducers must be at most \(SortBuffer.maxPartition + 1), not \(reducers)")
        }
        let splitSize = self.splitSize ?? self.defaultSplitSize(for: job)
        guard splitSize >= 1 else { throw JobError("--split-size must be at least 1 byte, not \(splitSize)") }
        guard self.maxWholeFile >= 0 else { throw JobError("--max-whole-file must not be negative, not \(self.maxWholeFile)") }
        guard (1...2047).contains(self.sortBufferMB) else {
            throw JobError("--sort-buffer-mb must be between 1 and 2047, not \(self.sortBufferMB)")
        }
        guard (0...9).contains(self.compressionLevel) else {
            throw JobError("--compression-level must be between 0 and 9, not \(self.compressionLevel)")
        }
        guard TaskSettings.mergeFactors.contains(self.mergeFactor) else {
            throw JobError(
                "--merge-factor must be between \(TaskSettings.mergeFactors.lowerBound) and \(TaskSettings.mergeFactors.upperBound), not \(self.mergeFactor)")
        }
        if job.inputNames.isEmpty {
            guard !self.inputs.isEmpty else { throw JobError("no input given") }
            if let name = self.namedInputs.keys.sorted().first {
                throw JobError("job \(job.name) has no named inputs, so --input \(name)=... means nothing to it")
            }
        } else {
            guard self.inputs.isEmpty else {
                throw JobError("job \(job.name) reads named inputs: give them as --input NAME=PATH (\(job.inputNames.joined(separator: ", ")))")
            }
            if let name = self.namedInputs.keys.sorted().first(where: { !job.inputNames.contains($0) }) {
                throw JobError("job \(job.name) has no input named \(name) (it reads: \(job.inputNames.joined(separator: ", ")))")
            }
            if let name = job.inputNames.first(where: { self.namedInputs[$0] == nil }) {
                throw JobError("job \(job.name) needs --input \(name)=PATH")
            }
        }
        return (reducers, splitSize, try Self.check(self.parameters, against: job.parameters, of: job.name))
    }

    /// Checks `given` against the `declared` parameters of job (or chain) `name` and fills in defaults.
    package static func check(_ given: [String: String], against declared: [JobParameter], of name: String) throws(JobError) -> JobParameters {
        var values: [String: String] = [:]
        for parameter in declared {
            values[parameter.name] = given[parameter.name] ?? parameter.defaultValue
            guard values[parameter.name] != nil else {
                throw JobError("job \(name) needs --param \(parameter.name)=VALUE (\(parameter.help))")
            }
        }
        let known = Set(declared.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !known.contains($0) }) {
            let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
            throw JobError("job \(name) has no parameter \(unknown) (it takes: \(list))")
        }
        return JobParameters(values)
    }
}
