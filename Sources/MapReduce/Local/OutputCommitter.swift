import Synchronization

/// Owns a job's output directory: refuses to clobber earlier output, and
/// moves reduce attempts' files into place only when the whole job has
/// succeeded, so a failed job never leaves `part-*` files behind.
public final class OutputCommitter: Sendable {
    public let directory: String
    /// Whether this job created the directory (and so removes it on failure).
    private let created: Bool
    private enum State {
        case open, committed, aborted
    }

    /// Held for the whole of a commit or an abort, so that the two never interleave.
    private let state = Locked(State.open)

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
    public static func prepare(directory: String, overwrite: Bool) throws -> OutputCommitter {
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
    /// `report` as `_job.json`, removes `_temporary`, and writes `_SUCCESS`
    /// last. If any step fails, the part files already moved are removed again.
    public func commit(attemptFiles: [String], report: [UInt8]) throws {
        try self.state.withLock { state in
            guard state == .open else { throw JobError("the output in \(self.directory) was already \(state)") }
            var moved: [String] = []
            do {
                for (partition, path) in attemptFiles.enumerated() {
                    let destination = "\(self.directory)/\(ReduceTask.partFileName(partition))"
                    try FileSystem.rename(path, to: destination)
                    moved.append(destination)
                }
                try FileSystem.writeAtomically(report, to: "\(self.directory)/_job.json")
                FileSystem.removeTree(self.temporaryDirectory)
                try FileSystem.syncDirectory(self.directory)
                try FileSystem.writeAtomically([], to: "\(self.directory)/_SUCCESS")
                try FileSystem.syncDirectory(self.directory)
                state = .committed
            } catch {
                for path in moved { try? FileSystem.remove(path) }
                try? FileSystem.remove("\(self.directory)/_job.json")
                self.removeOutput()
                state = .aborted
                throw error
            }
        }
    }

    /// Removes what the failed job wrote: `_temporary`, and the directory itself if the job made it.
    /// Does nothing once the output is committed.
    public func abort() {
        self.state.withLock { state in
            guard state == .open else { return }
            self.removeOutput()
            state = .aborted
        }
    }

    private func removeOutput() {
        FileSystem.removeTree(self.temporaryDirectory)
        if self.created { FileSystem.removeTree(self.directory) }
    }
}
