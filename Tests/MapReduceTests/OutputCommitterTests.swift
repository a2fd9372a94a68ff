import Foundation
import MapReduce
import Testing
import TestSupport

/// The output committer against hostile files in `_temporary`: it takes only
/// regular files with one link, reached through no symbolic link, and never
/// moves, removes or writes anything outside the output directory.
@Suite struct OutputCommitterTests {
    /// A scratch directory holding an output directory and, beside it, a directory with files the output must never touch.
    struct Scene {
        let directory: TemporaryDirectory
        let output: String
        let outside: String
        let committer: OutputCommitter

        init() throws {
            self.directory = try TemporaryDirectory()
            self.output = "\(self.directory.path)/out"
            self.outside = "\(self.directory.path)/outside"
            try self.directory.write("outside/precious.txt", Array("keep me\n".utf8))
            self.committer = try OutputCommitter.prepare(directory: self.output, overwrite: false)
        }

        /// Writes `text` as the part file of reduce attempt `attempt`, as a worker would.
        func writeAttempt(_ attempt: AttemptID, _ text: String) throws {
            let path = ReduceTask(id: attempt, inputs: []).attemptOutputPath(in: self.output)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }

        func attemptDirectory(_ attempt: AttemptID) -> String {
            ReduceTask.attemptOutputDirectory(for: attempt, in: self.output)
        }
    }

    static func reduce(_ task: Int, attempt: Int) -> AttemptID { AttemptID(.reduce, task: task, attempt: attempt) }

    @Test(arguments: Planting.allCases)
    func aPlantedPartFailsItsAttemptAndTheNextAttemptIsCommitted(planting: Planting) throws {
        let scene = try Scene()
        let first = Self.reduce(0, attempt: 1)
        try scene.writeAttempt(first, "from the first attempt\n")
        try planting.plant(partFile: ReduceTask.partFileName(0), in: scene.attemptDirectory(first), outside: scene.outside)
        let outsideBefore = try snapshot(scene.outside)

        let error = try #require(throws: CommitError.self) { try scene.committer.commitTask(first) }
        switch (planting, error.reason) {
        case (.symlinkedAttemptDirectory, .symbolicLink), (.symlinkedPartFile, .symbolicLink), (.hardLinkedPartFile, .hardLinked(2)),
            (.fifo, .notRegularFile(.fifo)), (.directory, .notRegularFile(.directory)):
            break
        case (.missingPartFile, .system(let system)) where system.errno == ENOENT:
            break
        default:
            Issue.record("\(planting): refused for \(error)")
        }

        let second = Self.reduce(0, attempt: 2)
        try scene.writeAttempt(second, "from the second attempt\n")
        try scene.committer.commitTask(second)
        try scene.committer.commit(parts: [ReduceTask.partFileName(0)], documents: [("_job.json", Array("{}".utf8))])

        #expect(try snapshot(scene.outside) == outsideBefore)
        let names = try FileManager.default.contentsOfDirectory(atPath: scene.output).sorted()
        #expect(names == ["_SUCCESS", "_job.json", "part-r-00000"])
        #expect(try String(contentsOfFile: "\(scene.output)/part-r-00000", encoding: .utf8) == "from the second attempt\n")
    }

    @Test func aPartFileOfAnotherUserIsRefused() throws {
        let scene = try Scene()
        let attempt = Self.reduce(0, attempt: 1)
        try scene.writeAttempt(attempt, "owned by someone else\n")
        let part = ReduceTask(id: attempt, inputs: []).attemptOutputPath(in: scene.output)
        // Only root may give a file away.
        guard chown(part, 12345, 12345) == 0 else { return }
        let error = try #require(throws: CommitError.self) { try scene.committer.commitTask(attempt) }
        #expect(error.reason == .foreignOwner(12345))
    }

    @Test func removingTemporaryUnlinksLinksAndLeavesWhatTheyPointAt() throws {
        let scene = try Scene()
        let attempt = Self.reduce(0, attempt: 1)
        try scene.writeAttempt(attempt, "part\n")
        try FileManager.default.createSymbolicLink(atPath: "\(scene.output)/_temporary/to-outside", withDestinationPath: scene.outside)
        try FileManager.default.createSymbolicLink(
            atPath: "\(scene.attemptDirectory(attempt))/to-precious", withDestinationPath: "\(scene.outside)/precious.txt")
        let before = try snapshot(scene.outside)
        scene.committer.abort()
        #expect(try snapshot(scene.outside) == before)
        #expect(!FileManager.default.fileExists(atPath: "\(scene.output)/_temporary"))
    }

    @Test func theJobCommitWritesNoFileThroughALinkInItsPlace() throws {
        let scene = try Scene()
        let attempt = Self.reduce(0, attempt: 1)
        try scene.writeAttempt(attempt, "part\n")
        try scene.committer.commitTask(attempt)
        // A link where the report's temporary file is written.
        try FileManager.default.createSymbolicLink(atPath: "\(scene.output)/_job.json.tmp", withDestinationPath: "\(scene.outside)/precious.txt")
        let before = try snapshot(scene.outside)
        try scene.committer.commit(parts: [ReduceTask.partFileName(0)], documents: [("_job.json", Array("{\"report\": 1}".utf8))])
        #expect(try snapshot(scene.outside) == before)
        #expect(try String(contentsOfFile: "\(scene.output)/_job.json", encoding: .utf8) == "{\"report\": 1}")
    }

    @Test func aLateTaskCommitAfterTheJobCommitIsRefused() throws {
        let scene = try Scene()
        try scene.writeAttempt(Self.reduce(0, attempt: 1), "part\n")
        try scene.committer.commitTask(Self.reduce(0, attempt: 1))
        try scene.committer.commit(parts: [ReduceTask.partFileName(0)], documents: [("_job.json", [])])
        #expect(throws: JobError.self) { try scene.committer.commitTask(Self.reduce(0, attempt: 2)) }
    }

    @Test func outputFollowsTheUmaskAndTemporaryIsTheUsersAlone() throws {
        let scene = try Scene()
        #expect(try Self.permissions(of: "\(scene.output)/_temporary") == 0o700)
        #expect(try Self.permissions(of: "\(scene.output)/_temporary/_committed") == 0o700)
        let attempt = Self.reduce(0, attempt: 1)
        // As a reduce attempt makes its directory and writes its file.
        let task = ReduceTask(id: attempt, inputs: [])
        try FileSystem.makeDirectory(scene.attemptDirectory(attempt), access: .ownerOnly, withParents: false)
        var writer = try FileWriter(path: task.attemptOutputPath(in: scene.output), access: .umask)
        try Array("part\n".utf8).withUnsafeBytes { try writer.write($0) }
        try writer.close()
        #expect(try Self.permissions(of: scene.attemptDirectory(attempt)) == 0o700)
        try scene.committer.commitTask(attempt)
        try scene.committer.commit(parts: [ReduceTask.partFileName(0)], documents: [("_job.json", [])])
        let umask = Self.currentUmask()
        for name in ["part-r-00000", "_SUCCESS", "_job.json"] {
            #expect(try Self.permissions(of: "\(scene.output)/\(name)") == 0o666 & ~umask, "\(name)")
        }
    }

    @Test func privateFilesAndDirectoriesAreTheUsersAloneWhateverTheUmask() throws {
        let directory = try TemporaryDirectory()
        try FileSystem.makeDirectory("\(directory.path)/made/work", access: .ownerOnly)
        #expect(try Self.permissions(of: "\(directory.path)/made/work") == 0o700)
        #expect(try Self.permissions(of: "\(directory.path)/made") == 0o777 & ~Self.currentUmask())
        let writer = try FileWriter(path: "\(directory.path)/spill", access: .ownerOnly)
        try writer.close()
        #expect(try Self.permissions(of: "\(directory.path)/spill") == 0o600)
        try FileSystem.writeAtomically([1, 2, 3], to: "\(directory.path)/manifest", access: .ownerOnly)
        #expect(try Self.permissions(of: "\(directory.path)/manifest") == 0o600)
    }

    static func permissions(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// The process's umask (read by setting it, and setting it back at once).
    static func currentUmask() -> Int {
        let mask = umask(0o022)
        umask(mask)
        return Int(mask)
    }

    /// A job commit cut short and taken over: part files the first moved are taken as they are, only
    /// when the journal said the commit had begun; a failed resumed commit leaves everything for the next.
    @Test func aResumedCommitTakesWhatTheCutCommitMovedAndOnlyThen() throws {
        let scene = try Scene()
        for task in 0..<2 {
            try scene.writeAttempt(Self.reduce(task, attempt: 1), "part \(task)\n")
            try scene.committer.commitTask(Self.reduce(task, attempt: 1))
        }
        // The first commit moved part 0 and died.
        try FileManager.default.moveItem(atPath: "\(scene.output)/_temporary/_committed/part-r-00000", toPath: "\(scene.output)/part-r-00000")
        let parts = ["part-r-00000", "part-r-00001"]
        let unaware = try OutputCommitter.resume(directory: scene.output)
        #expect(throws: (any Error).self) { try unaware.commit(parts: parts, documents: []) }
        #expect(FileManager.default.fileExists(atPath: "\(scene.output)/_temporary/_committed/part-r-00001"), "a failed resumed commit leaves its files")
        let resumed = try OutputCommitter.resume(directory: scene.output)
        resumed.resumeCommit()
        try resumed.commit(parts: parts, documents: [("_job.json", Array("{}".utf8))])
        #expect(try String(contentsOfFile: "\(scene.output)/part-r-00001", encoding: .utf8) == "part 1\n")
        #expect(FileManager.default.fileExists(atPath: "\(scene.output)/_SUCCESS"))
        #expect(!FileManager.default.fileExists(atPath: "\(scene.output)/_temporary"))
    }

    /// A commit that died after removing `_temporary` (every part file and the report in place) only lacks `_SUCCESS`.
    @Test func aCommitCutShortBeforeItsSuccessMarkIsFinished() throws {
        let scene = try Scene()
        #expect(try !OutputCommitter.finishCommitCutShort(in: scene.output))
        try scene.directory.write("out/part-r-00000", Array("part\n".utf8))
        try scene.directory.write("out/_job.json", Array("{}".utf8))
        try scene.directory.write("out/_temporary/leftover", Array("x".utf8))
        #expect(try OutputCommitter.finishCommitCutShort(in: scene.output))
        #expect(FileManager.default.fileExists(atPath: "\(scene.output)/_SUCCESS"))
        #expect(!FileManager.default.fileExists(atPath: "\(scene.output)/_temporary"))
        #expect(try !OutputCommitter.finishCommitCutShort(in: scene.output))
    }
}
