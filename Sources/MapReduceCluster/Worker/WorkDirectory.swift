import Foundation
import MapReduce

/// A worker's work directory, locked for as long as the worker lives.
///
/// A worker that dies without cleaning up (killed, or its user code ended
/// the process) leaves its directory, map outputs and all, but not its lock:
/// the lock is an `flock` on a file inside, which goes with the process. A
/// worker that starts takes over (locks) such directories in the same parent,
/// so that it can serve the map outputs in them (see `RecoveredMapOutputs`),
/// and removes them when it leaves, with any others left by then.
final class WorkDirectory {
    let path: String
    /// Directories of dead workers taken over at the start.
    let adopted: [String]
    /// Hold the locks; never read.
    private let locks: [HeldLock]

    static let prefix = "mapreduce-worker-"
    static let lockName = ".lock"

    /// An open lock file.
    private final class HeldLock {
        let file: FileDescriptor

        /// Locks `directory`'s lock file, if nobody holds it; with `creating`, makes it first.
        init?(in directory: String, creating: Bool = false) {
            let path = "\(directory)/\(WorkDirectory.lockName)"
            // Never made when taking over: a lock file that is gone belongs to a directory being removed.
            guard let file = try? FileDescriptor.open(locking: path, creating: creating), file.tryLock() else { return nil }
            self.file = file
        }
    }

    /// Makes and locks a fresh work directory in `parent` (by default `$TMPDIR` or `/tmp`),
    /// and takes over those that dead workers left there. It is made under a hidden name and
    /// renamed once locked, so that no other worker ever sees it unlocked.
    init(in parent: String?) throws {
        self.path = FileSystem.freshDirectoryName(in: parent, prefix: String(Self.prefix.dropLast()))
        let parent = Self.parent(of: self.path)
        let staging = "\(parent)/.\(self.path.dropFirst(parent.count + 1))"
        try FileSystem.makeDirectory(staging, access: .ownerOnly)
        guard let own = HeldLock(in: staging, creating: true) else {
            throw SystemError("lock", path: "\(staging)/\(Self.lockName)", errno: errno)
        }
        try FileSystem.rename(staging, to: self.path)
        let abandoned = Self.abandoned(in: parent, except: self.path)
        self.adopted = abandoned.map(\.path)
        self.locks = [own] + abandoned.map(\.lock)
    }

    /// Removes the directory and those it took over, then any that workers that died since left in the same parent.
    func remove() {
        for directory in [self.path] + self.adopted { FileSystem.removeTree(directory) }
        for (directory, _) in Self.abandoned(in: Self.parent(of: self.path), except: self.path) { FileSystem.removeTree(directory) }
    }

    /// The work directories in `parent` whose lock nobody holds, locked now.
    private static func abandoned(in parent: String, except own: String) -> [(path: String, lock: HeldLock)] {
        (FileSystem.contents(of: parent) ?? []).sorted().compactMap { name in
            let directory = "\(parent)/\(name)"
            // A directory without a lock file is not one of ours to judge.
            guard name.hasPrefix(Self.prefix), directory != own, let lock = HeldLock(in: directory) else { return nil }
            return (directory, lock)
        }
    }

    private static func parent(of path: String) -> String {
        String(path[..<path.lastIndex(of: "/")!])
    }
}
