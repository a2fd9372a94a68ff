import Foundation
import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

@Suite struct WorkDirectoryTests {
    @Test func aNewWorkerRemovesWhatDeadWorkersLeftAndNothingElse() throws {
        let parent = try TemporaryDirectory()
        let live = try WorkDirectory(in: parent.path)
        // A dead worker's directory: its lock file is there, but nobody holds the lock.
        let abandoned = "\(parent.path)/\(WorkDirectory.prefix)1-2"
        _ = try parent.write("\(WorkDirectory.prefix)1-2/\(WorkDirectory.lockName)", [])
        _ = try parent.write("\(WorkDirectory.prefix)1-2/job-1/m-00000-a1/m-00000-a1.out", Array("map output".utf8))
        // Directories that are not work directories, or have no lock file, are not ours to judge.
        _ = try parent.write("\(WorkDirectory.prefix)3-4/file", [1])
        _ = try parent.write("other/\(WorkDirectory.lockName)", [])
        let next = try WorkDirectory(in: parent.path)
        #expect(!FileSystem.exists(abandoned))
        #expect(FileSystem.exists(live.path) && FileSystem.exists(next.path))
        #expect(FileSystem.exists("\(parent.path)/\(WorkDirectory.prefix)3-4/file"))
        #expect(FileSystem.exists("\(parent.path)/other"))
        // Leaving removes its own directory, and sweeps again; the live one stays.
        next.remove()
        #expect(!FileSystem.exists(next.path))
        #expect(FileSystem.exists(live.path))
        live.remove()
        #expect(Set(FileSystem.contents(of: parent.path) ?? []) == ["\(WorkDirectory.prefix)3-4", "other"])
    }
}
