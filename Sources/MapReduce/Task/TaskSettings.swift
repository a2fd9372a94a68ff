/// What every task of a job needs to know besides its own input.
public struct TaskSettings: Hashable, Sendable, Codable {
    /// The number of reduce tasks, R.
    public var partitions: Int
    /// The map side's memory budget for buffered output, in bytes.
    public var sortBufferBytes: Int
    /// zlib level for spill files, 0-9.
    public var compressionLevel: Int
    /// The job's parameters, checked, with defaults filled in.
    public var parameters: JobParameters
    /// Where map tasks write spills and map outputs.
    public var workDirectory: String
    /// The job's output directory; reduce attempts write below its `_temporary`.
    public var outputDirectory: String
    /// For a total-order partitioner: the encoded keys that start partitions 1 to R-1, ascending.
    public var partitionBoundaries: [[UInt8]]
    /// The most sorted inputs (spills, map output segments) one merge reads at once;
    /// more are merged in passes through intermediate files.
    public var mergeFactor: Int
    /// Whether map tasks leave out the job's combiner (`--no-combiner`).
    public var combinerDisabled: Bool

    /// The bytes of fetched segments a reduce attempt keeps in memory; the
    /// rest go to disk. A quarter of the map side's buffer: a reduce attempt
    /// also holds a merge's buffers, and a reducer that has many small
    /// segments should not hold much more than one with a few large ones.
    public var fetchedSegmentBudget: Int { self.sortBufferBytes / 4 }

    /// The merge factor unless a run says otherwise: measured with
    /// scripts/bench-merge (README, "Merges").
    public static let defaultMergeFactor = 64
    /// The merge factors a job may ask for.
    public static let mergeFactors = 2...10_000

    /// Whether the job has no reduce tasks (`--reducers 0`): each map writes its output as a part file.
    public var isMapOnly: Bool { self.partitions == 0 }

    /// Whether an attempt of `kind` writes a part file, which its task commit takes: a
    /// reduce's, or a map-only job's map's.
    public func writesPartFile(_ kind: AttemptID.Kind) -> Bool {
        kind == .reduce || self.isMapOnly
    }

    /// Makes the settings from their parts.
    public init(
        partitions: Int, sortBufferBytes: Int, compressionLevel: Int, parameters: JobParameters,
        workDirectory: String, outputDirectory: String, partitionBoundaries: [[UInt8]] = [],
        mergeFactor: Int = TaskSettings.defaultMergeFactor, combinerDisabled: Bool = false
    ) {
        self.mergeFactor = mergeFactor
        self.combinerDisabled = combinerDisabled
        self.partitionBoundaries = partitionBoundaries
        self.partitions = partitions
        self.sortBufferBytes = sortBufferBytes
        self.compressionLevel = compressionLevel
        self.parameters = parameters
        self.workDirectory = workDirectory
        self.outputDirectory = outputDirectory
    }
}
