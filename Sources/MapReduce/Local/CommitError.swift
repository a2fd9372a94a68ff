#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that the output committer refuses to take into the output: the
/// attempt that wrote it fails (and runs again), the job does not.
public struct CommitError: Error, Hashable, CustomStringConvertible {
    /// Why the file was refused.
    public enum Reason: Hashable, Sendable {
        /// The file, or a directory on the way to it, is a symbolic link.
        case symbolicLink
        /// It is a directory, a FIFO, a socket or a device.
        case notRegularFile(FileStatus.Kind)
        /// It has other names (hard links) than this one, perhaps outside the output directory.
        case hardLinked(links: Int)
        /// It belongs to another user.
        case foreignOwner(uid_t)
        /// It was replaced by another file while being moved.
        case replaced
        /// A system call failed: the file is missing, say.
        case system(SystemError)
    }

    /// The file's path.
    public var path: String
    /// Why the file was refused.
    public var reason: Reason

    /// Makes the refusal of `path` for `reason`.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// The refusal that `error`, met on the way to `path`, amounts to.
    init(path: String, _ error: SystemError) {
        self.init(path: path, reason: error.errno == ELOOP ? .symbolicLink : .system(error))
    }

    /// `cannot commit`, the path and the reason.
    public var description: String {
        let problem: String
        switch self.reason {
        case .symbolicLink: problem = "it, or a directory on its way, is a symbolic link"
        case .notRegularFile(let kind): problem = "it is \(kind.rawValue), not a regular file"
        case .hardLinked(let links): problem = "it has \(links) hard links"
        case .foreignOwner(let uid): problem = "it belongs to user \(uid), not to this process's user"
        case .replaced: problem = "it was replaced while being moved"
        case .system(let error): problem = "\(error)"
        }
        return "cannot commit \(self.path): \(problem)"
    }
}
