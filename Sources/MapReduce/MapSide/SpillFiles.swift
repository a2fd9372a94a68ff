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

    /// Writes what is left in the buffer, merges the spills (folding equal
    /// keys with `combine`, if given), at most `mergeFactor` at once, and
    /// returns the map output. `control` stops the merge at its next record.
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
        let spills = try MergePasses.reduce(self.spills, factor: self.mergeFactor) { run in
            self.intermediateFiles += 1
            let path = "\(self.directory)/\(self.attemptName).merge\(self.intermediateFiles)"
            return try self.merge(run, into: path, combine: combine, control: control)
        }
        return try self.merge(spills, into: self.outputPath, combine: combine, control: control)
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
