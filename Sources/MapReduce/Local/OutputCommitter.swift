import Synchronization

/// Owns a job's output directory: refuses to clobber earlier output, and
/// moves reduce attempts' files into place only when the whole job has
/// succeeded, so a failed job never leaves `part-*` files behind.
public final class OutputCommitter: Sendable {
    public let directory: String
    /// Whether this job created the directory (and so removes it on failure).
    private let created: Bool
    /// Whether the output has been committed, after which `abort` does nothing.
    private let committed = Mutex(false)

    private init(directory: String, created: Bool) {
        self.directory = directory
        self.created = created
    }

    public var temporaryDirectory: String { "\(self.directory)/_temporary" }

    /// Checks and creates the output directory and its `_temporary`.
    ///
    /// An existing non-empty directory is refused unless `overwrite`; then
    /// only an earlier job's output (`part-*`, `_SUCCESS`, `_job.json`,
    /// `_temporary`) is removed, and anything else is refused.
    public static func prepare(directory: String, overwrite: Bool) throws(JobError) -> OutputCommitter {
        let existed = FileSystem.exists(directory)
        if existed {
            guard FileSystem.isDirectory(directory) else {
                throw JobError("output path \(directory) exists and is not a directory")
            }
            let names = FileSystem.contents(of: directory) ?? []
            if !names.isEmpty {
                guard overwrite else {
                    throw JobError("output directory \(directory) already exists and is not empty (pass --overwrite to replace it)")
                }
                if let stranger = names.sorted().first(where: { !isJobOutput($0) }) {
                    throw JobError("--overwrite refuses to empty \(directory): \(stranger) is not job output")
                }
                for name in names { FileSystem.removeTree("\(directory)/\(name)") }
            }
        }
        do {
            try FileSystem.makeDirectory("\(directory)/_temporary")
        } catch {
            throw JobError("cannot write to output directory \(directory): \(error)")
        }
        return OutputCommitter(directory: directory, created: !existed)
    }

    private static func isJobOutput(_ name: String) -> Bool {
        name.hasPrefix("part-") || ["_SUCCESS", "_job.json", "_temporary"].contains(name)
    }

    /// Moves each partition's committed attempt file into place, writes
    /// `report` as `_job.json`, removes `_temporary`, and writes `_SUCCESS` last.
    public func commit(attemptFiles: [String], report: [UInt8]) throws {
        for (partition, path) in attemptFiles.enumerated() {
            try FileSystem.rename(path, to: "\(self.directory)/\(ReduceTask.partFileName(partition))")
        }
        try FileSystem.writeAtomically(report, to: "\(self.directory)/_job.json")
        FileSystem.removeTree(self.temporaryDirectory)
        try FileSystem.writeAtomically([], to: "\(self.directory)/_SUCCESS")
        self.committed.withLock { $0 = true }
    }

    /// Removes what the failed job wrote: `_temporary`, and the directory itself if the job made it.
    public func abort() {
        guard !self.committed.withLock({ $0 }) else { return }
        FileSystem.removeTree(self.temporaryDirectory)
        if self.created { FileSystem.removeTree(self.directory) }
    }
}
