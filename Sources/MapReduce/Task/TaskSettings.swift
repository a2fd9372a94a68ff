/// What every task of a job needs to know besides its own input.
public struct TaskSettings: Hashable, Sendable, Codable {
    /// The number of reduce tasks, R.
    public var partitions: Int
    /// The map side's memory budget for buffered output, in bytes.
    public var sortBufferBytes: Int
    /// zlib level for spill files, 0-9.
    public var compressionLevel: Int
    public var parameters: JobParameters
    /// Where map tasks write spills and map outputs.
    public var workDirectory: String
    /// The job's output directory; reduce attempts write below its `_temporary`.
    public var outputDirectory: String
    /// For a total-order partitioner: the encoded keys that start partitions 1 to R-1, ascending.
    public var partitionBoundaries: [[UInt8]]

    public init(
        partitions: Int, sortBufferBytes: Int, compressionLevel: Int, parameters: JobParameters,
        workDirectory: String, outputDirectory: String, partitionBoundaries: [[UInt8]] = []
    ) {
        self.partitionBoundaries = partitionBoundaries
        self.partitions = partitions
        self.sortBufferBytes = sortBufferBytes
        self.compressionLevel = compressionLevel
        self.parameters = parameters
        self.workDirectory = workDirectory
        self.outputDirectory = outputDirectory
    }
}
