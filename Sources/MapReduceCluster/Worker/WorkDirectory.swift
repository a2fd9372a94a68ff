import Foundation
import MapReduce

/// A worker's work directory, locked for as long as the worker lives.
///
/// A worker that dies without cleaning up (killed, or its user code ended
/// the process) leaves its directory, map outputs and all, but not its lock:
/// the lock is an `flock` on a file inside, which goes with the process. A
/// worker removes such leftovers in the same parent directory when it starts
/// and when it leaves, so crashes do not pile up intermediate data.
final class WorkDirectory {
    let path: String
    /// Holds the lock; never read.
    private let lock: FileDescriptor

    static let prefix = "mapreduce-worker-"
    static let lockName = ".lock"

    /// Makes and locks a fresh work directory in `parent` (by default `$TMPDIR` or `/tmp`).
    /// It is made under a hidden name and renamed once locked, so that no other
    /// worker ever sees it unlocked.
    init(in parent: String?) throws {
        self.path = FileSystem.freshDirectoryName(in: parent, prefix: String(Self.prefix.dropLast()))
        let parent = String(self.path[..<self.path.lastIndex(of: "/")!])
        let staging = "\(parent)/.\(self.path[self.path.index(after: self.path.lastIndex(of: "/")!)...])"
        try FileSystem.makeDirectory(staging)
        self.lock = try FileDescriptor.open(locking: "\(staging)/\(Self.lockName)")
        guard self.lock.tryLock() else { throw SystemError("lock", path: "\(staging)/\(Self.lockName)", errno: errno) }
        try FileSystem.rename(staging, to: self.path)
        Self.removeAbandoned(in: parent)
    }

    /// Removes the directory, then any that workers that died left in the same parent.
    func remove() {
        FileSystem.removeTree(self.path)
        Self.removeAbandoned(in: String(self.path[..<self.path.lastIndex(of: "/")!]))
    }

    /// Removes the work directories in `parent` whose lock nobody holds.
    static func removeAbandoned(in parent: String) {
        for name in FileSystem.contents(of: parent) ?? [] where name.hasPrefix(Self.prefix) {
            let directory = "\(parent)/\(name)"
            // A directory without a lock file is not one of ours to judge.
            guard FileSystem.exists("\(directory)/\(Self.lockName)"),
                let lock = try? FileDescriptor.open(locking: "\(directory)/\(Self.lockName)"), lock.tryLock()
            else { continue }
            FileSystem.removeTree(directory)
        }
    }
}
