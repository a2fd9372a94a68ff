import Foundation
import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

@Suite struct WorkDirectoryTests {
    @Test func aNewWorkerTakesOverWhatDeadWorkersLeftAndRemovesItWhenItLeaves() throws {
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
        #expect(next.adopted == [abandoned])
        #expect(live.adopted.isEmpty)
        // Taken over, it is locked again: a third worker leaves it alone.
        let third = try WorkDirectory(in: parent.path)
        #expect(third.adopted.isEmpty)
        // Leaving removes its own directory and what it took over; the live ones stay.
        next.remove()
        #expect(!FileSystem.exists(next.path) && !FileSystem.exists(abandoned))
        #expect(FileSystem.exists(live.path) && FileSystem.exists(third.path))
        #expect(FileSystem.exists("\(parent.path)/\(WorkDirectory.prefix)3-4/file"))
        #expect(FileSystem.exists("\(parent.path)/other"))
        third.remove()
        live.remove()
        #expect(Set(FileSystem.contents(of: parent.path) ?? []) == ["\(WorkDirectory.prefix)3-4", "other"])
    }

    @Test func aWorkDirectoryIsItsUsersAloneAndRemovingOneFollowsNoLink() throws {
        let parent = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("precious.txt", Array("keep me".utf8))
        let before = try snapshot(outside.path)
        let own = try WorkDirectory(in: parent.path)
        #expect(try FileManager.default.attributesOfItem(atPath: own.path)[.posixPermissions] as? Int == 0o700)
        // A dead worker's directory holding links to what is not its to remove.
        let abandoned = "\(parent.path)/\(WorkDirectory.prefix)1-2"
        _ = try parent.write("\(WorkDirectory.prefix)1-2/\(WorkDirectory.lockName)", [])
        try FileManager.default.createSymbolicLink(atPath: "\(abandoned)/job-1", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: "\(own.path)/file", withDestinationPath: "\(outside.path)/precious.txt")
        let next = try WorkDirectory(in: parent.path)
        #expect(next.adopted == [abandoned])
        next.remove()
        own.remove()
        #expect(FileSystem.contents(of: parent.path) == [])
        #expect(try snapshot(outside.path) == before)
    }
}
