/// A job ready to run: its settings checked, its input cut into splits and
/// its output directory prepared. Shared by the in-process runner and the master.
public struct JobPlan: Sendable {
    /// The job.
    public let job: AnyJob
    /// The map tasks' inputs, one split each.
    public let splits: [InputSplit]
    /// What every task of the job is told.
    public let settings: TaskSettings
    /// The prepared output directory and its commits.
    public let committer: OutputCommitter
    /// The input paths as given: the unnamed ones, then each named input's as `NAME=PATH`.
    public let inputs: [String]

    /// Checks `configuration` against `job`, expands its inputs and prepares the output directory.
    public init(job: AnyJob, configuration: JobConfiguration, workDirectory: String) throws {
        let (reducers, splitSize, parameters) = try configuration.validated(for: job)
        do {
            try job.validate(parameters)
        } catch {
            throw JobError("job \(job.name): \(error)")
        }
        let files = try configuration.inputs.isEmpty ? [] : InputPaths.expand(configuration.inputs)
        if job.readsWholeFiles(nil) { try WholeFileInput.checkSizes(of: files, limit: configuration.maxWholeFile) }
        var splits = try job.splits(files, splitSize)
        for (name, paths) in configuration.namedInputs.sorted(by: { $0.key < $1.key }) {
            let named = try InputPaths.expand(paths)
            if job.readsWholeFiles(name) { try WholeFileInput.checkSizes(of: named, limit: configuration.maxWholeFile) }
            splits += try job.namedSplits(name, named, splitSize)
        }
        if reducers == 0, job.writesRecords {
            throw JobError("job \(job.name) cannot be map-only (--reducers 0): its output format is key-value records, which only reducers write")
        }
        if reducers == 0, !job.mapOutputIsText {
            throw JobError("job \(job.name) cannot be map-only (--reducers 0): its map output is not text (TextOutput)")
        }
        let boundaries = reducers == 0 ? [] : try job.sampleBoundaries?(splits, reducers, parameters) ?? []
        self.committer =
            configuration.resumesOutput
            ? try OutputCommitter.resume(directory: configuration.outputDirectory)
            : try OutputCommitter.prepare(directory: configuration.outputDirectory, overwrite: configuration.overwrite)
        self.job = job
        self.splits = splits
        self.inputs =
            configuration.inputs
            + configuration.namedInputs.sorted(by: { $0.key < $1.key }).flatMap { name, paths in paths.map { "\(name)=\($0)" } }
        self.settings = TaskSettings(
            partitions: reducers, sortBufferBytes: configuration.sortBufferMB << 20,
            compressionLevel: configuration.compressionLevel, parameters: parameters,
            workDirectory: workDirectory, outputDirectory: self.committer.directory, partitionBoundaries: boundaries,
            mergeFactor: configuration.mergeFactor, combinerDisabled: configuration.combinerDisabled)
    }

    /// How the job runs, as its report records it.
    public var setup: JobReport.Setup {
        let combiner =
            self.settings.isMapOnly ? "none (map-only)"
            : self.job.combinerSummary.map { self.settings.combinerDisabled ? "off (--no-combiner)" : $0 } ?? "none"
        return JobReport.Setup(
            maps: self.splits.count, reduces: self.settings.partitions, combiner: combiner,
            partitioner: self.settings.isMapOnly ? "none (map-only)" : self.job.partitionerSummary, parameters: self.settings.parameters.values)
    }

    /// The job's output files: one per reduce task, or one per map task of a map-only job.
    public var partFileNames: [String] {
        self.settings.isMapOnly
            ? self.splits.indices.map { AttemptID(.map, task: $0, attempt: 0).partFileName }
            : (0..<self.settings.partitions).map(ReduceTask.partFileName)
    }

    /// Commits every part file, each already taken by a task commit, and writes `report` and `_SUCCESS`.
    public func commit(report: JobReport) throws {
        try self.committer.commit(parts: self.partFileNames, documents: try report.documents())
    }
}
