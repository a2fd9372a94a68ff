/// The spill files of one map task attempt, and how they become its map output.
@usableFromInline struct SpillFiles {
    let directory: String
    /// The attempt's name, e.g. `m-00003-a1`.
    let attemptName: String
    let partitions: Int
    let compressionLevel: Int
    /// The most spills one merge reads at once.
    let mergeFactor: Int
    private(set) var spills: [MapOutput] = []
    /// Intermediate files written by merge passes so far.
    private var intermediateFiles = 0
    /// Records written to spill files and the map output.
    @usableFromInline private(set) var spilledRecords = 0

    @usableFromInline init(directory: String, attemptName: String, partitions: Int, compressionLevel: Int, mergeFactor: Int) {
        self.directory = directory
        self.attemptName = attemptName
        self.partitions = partitions
        self.compressionLevel = compressionLevel
        self.mergeFactor = mergeFactor
    }

    /// Spill files written so far.
    @usableFromInline var spillCount: Int { self.spills.count }

    /// The final map output's path.
    var outputPath: String { "\(self.directory)/\(self.attemptName).out" }

    /// Sorts the buffer, writes it as the next spill file and empties it.
    @usableFromInline mutating func spill(_ buffer: inout SortBuffer) throws {
        let path = "\(self.directory)/\(self.attemptName).spill\(self.spills.count)"
        self.spills.append(MapOutput(path: path, index: try self.write(&buffer, to: path)))
    }

    /// Writes what is left in the buffer and makes the map output of the
    /// spills: with `combine`, merges them (folding equal keys), at most
    /// `mergeFactor` at once; without, copies their blocks side by side as
    /// sorted runs, which the reduce tasks merge, once there are at most
    /// `Segment.maxRuns`. `control` stops a merge at its next record.
    @usableFromInline mutating func finish(
        _ buffer: inout SortBuffer, combine: ((inout ByteWriter, UnsafeRawBufferPointer) throws -> Void)?,
        control: AttemptControl
    ) throws -> MapOutput {
        if self.spills.isEmpty {
            return MapOutput(path: self.outputPath, index: try self.write(&buffer, to: self.outputPath))
        }
        if !buffer.isEmpty { try self.spill(&buffer) }
        if self.spills.count == 1 {
            try FileSystem.rename(self.spills[0].path, to: self.outputPath)
            return MapOutput(path: self.outputPath, index: self.spills[0].index)
        }
        let factor = combine == nil ? min(self.mergeFactor, Segment.maxRuns) : self.mergeFactor
        let spills = try MergePasses.reduce(self.spills, factor: factor) { run in
            self.intermediateFiles += 1
            let path = "\(self.directory)/\(self.attemptName).merge\(self.intermediateFiles)"
            return try self.merge(run, into: path, combine: combine, control: control)
        }
        guard combine == nil else { return try self.merge(spills, into: self.outputPath, combine: combine, control: control) }
        return try self.copyRuns(of: spills, into: self.outputPath)
    }

    /// Writes the segments of `spills` partition by partition into a new
    /// file at `path`, each spill's as a sorted run, and removes them.
    private func copyRuns(of spills: [MapOutput], into path: String) throws -> MapOutput {
        var writer = try SpillWriter.create(path: path, partitions: self.partitions, compressionLevel: self.compressionLevel)
        let files = try spills.map { try OpenFile(path: $0.path) }
        for partition in 0..<self.partitions {
            for (spill, file) in zip(spills, files) {
                try writer.appendRuns(of: spill.index.segments[partition], from: file, partition: partition)
            }
        }
        let index = try writer.finish()
        for spill in spills { try FileSystem.remove(spill.path) }
        return MapOutput(path: path, index: index)
    }

    /// Merges `spills` into a new file at `path` and removes them.
    private mutating func merge(
        _ spills: [MapOutput], into path: String, combine: ((inout ByteWriter, UnsafeRawBufferPointer) throws -> Void)?,
        control: AttemptControl
    ) throws -> MapOutput {
        let (index, records) = try SpillMerger.merge(
            spills, into: path, partitions: self.partitions, compressionLevel: self.compressionLevel, combine: combine,
            control: control)
        self.spilledRecords += records
        for spill in spills { try FileSystem.remove(spill.path) }
        return MapOutput(path: path, index: index)
    }

    private mutating func write(_ buffer: inout SortBuffer, to path: String) throws -> SpillIndex {
        buffer.sort()
        var writer = try SpillWriter.create(path: path, partitions: self.partitions, compressionLevel: self.compressionLevel)
        try buffer.forEach { partition, key, value in try writer.append(partition: partition, key: key, value: value) }
        self.spilledRecords += buffer.count
        buffer.removeAll()
        return try writer.finish()
    }
}
