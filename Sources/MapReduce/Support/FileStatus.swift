#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file (a symbolic link is described, not followed).
public struct FileStatus: Hashable, Sendable {
    /// The kind of file, its raw value as a message names it.
    public enum Kind: String, Hashable, Sendable {
        /// A regular file.
        case regularFile = "a regular file"
        /// A directory.
        case directory = "a directory"
        /// A symbolic link.
        case symbolicLink = "a symbolic link"
        /// A named pipe.
        case fifo = "a FIFO"
        /// A socket.
        case socket = "a socket"
        /// A device, or any other kind.
        case device = "a device"
    }

    /// The kind of file.
    public var kind: Kind
    /// The number of hard links to the file.
    public var links: Int
    /// The owner's user id.
    public var owner: uid_t
    /// The permission bits (`0o600` and the like).
    public var permissions: mode_t
    /// The size in bytes.
    public var size: Int64
    /// Device and inode: the file's identity.
    public var device: UInt64
    /// The inode number.
    public var inode: UInt64

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: self.kind = .regularFile
        case S_IFDIR: self.kind = .directory
        case S_IFLNK: self.kind = .symbolicLink
        case S_IFIFO: self.kind = .fifo
        case S_IFSOCK: self.kind = .socket
        default: self.kind = .device
        }
        self.links = Int(info.st_nlink)
        self.owner = info.st_uid
        self.permissions = info.st_mode & 0o7777
        self.size = Int64(info.st_size)
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
    }

    /// Whether this and `other` are the same file.
    public func isSameFile(as other: FileStatus) -> Bool {
        self.device == other.device && self.inode == other.inode
    }
}
