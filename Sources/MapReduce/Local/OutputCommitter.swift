#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns a job's output directory: refuses to clobber earlier output, and
/// moves reduce attempts' files into place only when the whole job has
/// succeeded, so a failed job never leaves `part-*` files behind.
///
/// It commits in two steps, as Hadoop's FileOutputCommitter does. The *task
/// commit* of a reduce attempt that has succeeded moves its file from
/// `_temporary/<attempt>/` to `_temporary/_committed/`, where only the
/// committer writes; the *job commit* moves the files from there into the
/// output directory. Both work relative to open directories and never follow
/// a symbolic link: only a regular file with one link, owned by this
/// process's user, is taken, and nothing outside the output directory is
/// ever moved or removed. What the task commit refuses fails the attempt,
/// which runs again; the job goes on.
public final class OutputCommitter: Sendable {
    /// The output directory.
    public let directory: String
    private let output: Directory
    /// Whether this job created the directory (and so removes it on failure).
    private let created: Bool
    /// Whether it took over the output of an earlier run of the job, whose job commit may have moved some part files.
    private let resumed: Bool
    private enum State {
        case open, committed, aborted
    }

    /// Whether the job commit of the run this one resumes had begun: part files it moved are taken as they are.
    private let commitResumed = Locked(false)

    /// Held for the whole of a task commit, a job commit or an abort, so that they never interleave.
    private let state = Locked(State.open)

    /// Where task commits put the files that the job commit takes, relative to the output directory.
    static let committedDirectory = "_temporary/_committed"

    private init(directory: String, output: consuming Directory, created: Bool, resumed: Bool = false) {
        self.directory = directory
        self.output = output
        self.created = created
        self.resumed = resumed
    }

    /// Where attempts write their files before a task commit: `_temporary` in the output directory.
    public var temporaryDirectory: String { "\(self.directory)/_temporary" }

    /// Checks and creates the output directory (as the umask allows) and its
    /// `_temporary` (for the user only).
    ///
    /// An existing non-empty directory is refused unless `overwrite`; then
    /// only an earlier job's output (`part-*`, `_SUCCESS`, `_job.json`,
    /// `_report.html`, `_temporary`) is removed, and anything else is refused.
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
            if !existed { try FileSystem.makeDirectory(directory, access: .umask) }
            let output = try Directory(path: directory)
            try output.makeDirectory("_temporary", access: .ownerOnly)
            try output.openDirectory("_temporary").makeDirectory("_committed", access: .ownerOnly)
            return OutputCommitter(directory: directory, output: output, created: !existed)
        } catch {
            throw JobError("cannot write to output directory \(directory): \(error)")
        }
    }

    /// Says that the job commit of the run this one resumes had begun (its journal says so):
    /// the job commit then takes part files that are in the output directory already as moved.
    public func resumeCommit() {
        precondition(self.resumed, "only a resumed output has a commit to resume")
        self.commitResumed.withLock { $0 = true }
    }

    /// Finishes the job commit of a run that died after its last step but one (every part file
    /// and the report in place, `_temporary` removed, or being removed) by writing `_SUCCESS`;
    /// false if the output in `directory` is not in that state.
    public static func finishCommitCutShort(in directory: String) throws -> Bool {
        guard FileSystem.exists("\(directory)/_job.json"), !FileSystem.exists("\(directory)/_SUCCESS") else { return false }
        let output = try Directory(path: directory)
        output.discard("_temporary")
        try output.sync()
        try output.writeAtomically([], as: "_SUCCESS", access: .umask)
        try output.sync()
        return true
    }

    /// Takes over the output directory of an earlier run of the job that did not finish (its
    /// master died), keeping its task commits: `_temporary` must be there; attempt directories
    /// left in it go with the job commit.
    public static func resume(directory: String) throws -> OutputCommitter {
        guard FileSystem.isDirectory("\(directory)/\(Self.committedDirectory)") else {
            throw JobError("output directory \(directory) holds no unfinished job (no \(Self.committedDirectory)) to recover")
        }
        do {
            return OutputCommitter(directory: directory, output: try Directory(path: directory), created: false, resumed: true)
        } catch {
            throw JobError("cannot write to output directory \(directory): \(error)")
        }
    }

    private static func isJobOutput(_ name: String) -> Bool {
        name.hasPrefix("part-") || ["_SUCCESS", "_job.json", "_report.html", "_temporary"].contains(name)
    }

    /// The task commit of reduce attempt `attempt` (or a map-only job's map attempt), which says it has succeeded:
    /// takes its part file from `_temporary/<attempt>/`. Throws `CommitError` if
    /// the file is missing or not one the job commit may take (see above).
    public func commitTask(_ attempt: AttemptID) throws {
        let name = attempt.partFileName
        try self.whileOpen { try self.take(name, from: "_temporary/\(attempt)") }
    }

    /// Commits the part files of `directory` (a finished job's output inside
    /// `_temporary`, as a chain's jobs write) and `documents` as this output.
    public func commit(partsOf directory: String, documents: [(name: String, bytes: [UInt8])]) throws {
        guard directory.hasPrefix("\(self.temporaryDirectory)/") else {
            throw JobError("\(directory) is not inside \(self.temporaryDirectory)")
        }
        let relative = String(directory.dropFirst(self.directory.count + 1))
        let parts = try self.whileOpen {
            let names = try self.output.openDirectory(relative).names().filter { $0.hasPrefix("part-") }.sorted()
            for name in names { try self.take(name, from: relative) }
            return names
        }
        try self.commit(parts: parts, documents: documents)
    }

    /// Runs `body` under the lock, if the output is neither committed nor aborted.
    private func whileOpen<T>(_ body: () throws -> T) throws -> T {
        try self.state.withLock { state in
            guard state == .open else { throw JobError("the output in \(self.directory) was already \(state)") }
            return try body()
        }
    }

    /// Moves the file `name` from the directory `relative` to the committed files, if it
    /// is a regular file with one link, of this process's user, reached through no link.
    private func take(_ name: String, from relative: String) throws {
        let path = "\(self.directory)/\(relative)/\(name)"
        do {
            let source = try self.output.openDirectory(relative)
            let committed = try self.output.openDirectory(Self.committedDirectory)
            let before = try source.status(of: name)
            try Self.check(before, path: path)
            try source.rename(name, to: committed, as: name)
            // What was checked may have been swapped for something else before the rename.
            let after = try committed.status(of: name)
            do {
                guard after.isSameFile(as: before) else { throw CommitError(path: path, reason: .replaced) }
                try Self.check(after, path: path)
            } catch {
                Self.remove(name, from: committed)
                throw error
            }
        } catch let error as SystemError {
            throw CommitError(path: path, error)
        }
    }

    private static func check(_ status: FileStatus, path: String) throws(CommitError) {
        guard status.kind == .regularFile else {
            throw CommitError(path: path, reason: status.kind == .symbolicLink ? .symbolicLink : .notRegularFile(status.kind))
        }
        guard status.links == 1 else { throw CommitError(path: path, reason: .hardLinked(links: status.links)) }
        guard status.owner == geteuid() else { throw CommitError(path: path, reason: .foreignOwner(status.owner)) }
    }

    /// The job commit: moves the task-committed files `parts` into the output
    /// directory, writes `documents` (the report: `_job.json`, `_report.html`),
    /// removes `_temporary`, and writes `_SUCCESS` last. If any step fails, the
    /// part files already moved are removed again.
    public func commit(parts: [String], documents: [(name: String, bytes: [UInt8])]) throws {
        try self.state.withLock { state in
            guard state == .open else { throw JobError("the output in \(self.directory) was already \(state)") }
            var moved: [String] = []
            do {
                let committed = try self.output.openDirectory(Self.committedDirectory)
                // Part files the job commit of an earlier run (which this one resumes) moved already.
                let movedEarlier = self.commitResumed.withLock { $0 } ? Set(parts).subtracting(try committed.names()) : []
                for name in parts {
                    if movedEarlier.contains(name) {
                        try Self.check(try self.output.status(of: name), path: "\(self.directory)/\(name)")
                        continue
                    }
                    try Self.check(try committed.status(of: name), path: "\(committed.path)/\(name)")
                    try committed.rename(name, to: self.output, as: name)
                    moved.append(name)
                }
                for document in documents { try self.output.writeAtomically(document.bytes, as: document.name, access: .umask) }
                self.output.discard("_temporary")
                try self.output.sync()
                try self.output.writeAtomically([], as: "_SUCCESS", access: .umask)
                try self.output.sync()
                state = .committed
            } catch where self.resumed {
                // Left as it is, with the journal: what this commit moved is "moved earlier" to the next master that takes over.
                state = .aborted
                throw error
            } catch {
                for name in moved + documents.map(\.name) { Self.remove(name, from: self.output) }
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
        self.output.discard("_temporary")
        if self.created { FileSystem.removeTree(self.directory) }
    }

    /// Removes `name` from `directory`, saying so on standard error if it cannot.
    private static func remove(_ name: String, from directory: borrowing Directory) {
        do {
            try directory.remove(name)
        } catch {
            Directory.warn("\(error)")
        }
    }
}
