#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open directory, and the operations on the names in it that the output
/// committer and tree removal need. None of them follows a symbolic link
/// found in the directory or below it: a link planted there is described,
/// moved or removed as a link, never used to reach what it points at.
public struct Directory: ~Copyable, Sendable {
    private let descriptor: Int32
    /// The directory's path, for messages.
    public let path: String

    /// Opens the directory at `path` (symbolic links in `path` itself are followed, as in any path).
    public init(path: String) throws(SystemError) {
        let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open directory", path: path, errno: errno) }
        self.init(descriptor: fd, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(self.descriptor)
    }

    private func pathOf(_ name: String) -> String { "\(self.path)/\(name)" }

    /// Opens the directory `relativePath` (names joined by `/`) below this one, one
    /// name at a time; a symbolic link on the way is refused (`ELOOP`), not followed.
    public func openDirectory(_ relativePath: String) throws(SystemError) -> Directory {
        let names = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !names.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw SystemError("open directory", path: self.pathOf(relativePath), errno: EINVAL)
        }
        var directory = try self.openChild(PathBytes.cString(names[0]))
        for name in names.dropFirst() {
            directory = try directory.openChild(PathBytes.cString(name))
        }
        return directory
    }

    private func openChild(_ name: [CChar]) throws(SystemError) -> Directory {
        let path = self.pathOf(Self.string(name))
        let fd = openat(self.descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            var error = errno
            // Some systems say "not a directory" of a link: make it "too many links" everywhere.
            var info = stat()
            if error == ENOTDIR, fstatat(self.descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFLNK {
                error = ELOOP
            }
            throw SystemError("open directory", path: path, errno: error)
        }
        return Directory(descriptor: fd, path: path)
    }

    /// Makes the directory `name` here, with the permissions `access` allows.
    public func makeDirectory(_ name: String, access: FileAccess) throws(SystemError) {
        guard mkdirat(self.descriptor, PathBytes.cString(name), access.directoryMode) == 0 else {
            throw SystemError("create directory", path: self.pathOf(name), errno: errno)
        }
    }

    /// What `name` is; a symbolic link is described, not followed.
    public func status(of name: String) throws(SystemError) -> FileStatus {
        var info = stat()
        guard fstatat(self.descriptor, PathBytes.cString(name), &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw SystemError("stat", path: self.pathOf(name), errno: errno)
        }
        return FileStatus(info)
    }

    /// Renames `name` to `newName` in `destination`, on the same filesystem; a link moves as a link.
    public func rename(_ name: String, to destination: borrowing Directory, as newName: String) throws(SystemError) {
        guard renameat(self.descriptor, PathBytes.cString(name), destination.descriptor, PathBytes.cString(newName)) == 0 else {
            throw SystemError("rename \(self.pathOf(name)) to", path: destination.pathOf(newName), errno: errno)
        }
    }

    /// Removes `name` (not a directory), if it is there.
    public func remove(_ name: String) throws(SystemError) {
        guard unlinkat(self.descriptor, PathBytes.cString(name), 0) == 0 || errno == ENOENT else {
            throw SystemError("remove", path: self.pathOf(name), errno: errno)
        }
    }

    /// Removes `name` and, if it is a directory, everything below it, if it is there.
    public func removeTree(_ name: String) throws(SystemError) {
        try self.removeTree(named: PathBytes.cString(name))
    }

    private func removeTree(named name: [CChar]) throws(SystemError) {
        var info = stat()
        guard fstatat(self.descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw SystemError("stat", path: self.pathOf(Self.string(name)), errno: errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            // Opened without following links: a directory swapped for a link since the stat is refused.
            let directory = try self.openChild(name)
            for entry in try directory.entryNames() { try directory.removeTree(named: entry) }
        }
        guard unlinkat(self.descriptor, name, info.st_mode & S_IFMT == S_IFDIR ? AT_REMOVEDIR : 0) == 0 || errno == ENOENT else {
            throw SystemError("remove", path: self.pathOf(Self.string(name)), errno: errno)
        }
    }

    /// Renames `name` to a hidden name, so that nobody looking for it by name finds it
    /// half-removed, then removes it and everything below it. What cannot be removed
    /// is named in a warning on standard error.
    public func discard(_ name: String) {
        var target = ".\(name).removing-\(UInt32.random(in: 0...UInt32.max))"
        if renameat(self.descriptor, PathBytes.cString(name), self.descriptor, PathBytes.cString(target)) != 0 {
            guard errno != ENOENT else { return }  // nothing there to remove
            target = name
        }
        do {
            try self.removeTree(target)
        } catch {
            Self.warn("cannot remove \(self.pathOf(name)): \(error)")
        }
    }

    /// The names in this directory, but `.` and `..`.
    public func names() throws(SystemError) -> [String] {
        try self.entryNames().map(Self.string)
    }

    /// The names as the system has them (any bytes but `/` and NUL), NUL-terminated.
    private func entryNames() throws(SystemError) -> [[CChar]] {
        // An open file of its own, so that this reading moves no other reader's position.
        let fd = openat(self.descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, let stream = fdopendir(fd) else {
            let error = SystemError("read directory", path: self.path, errno: errno)
            if fd >= 0 { close(fd) }
            throw error
        }
        defer { closedir(stream) }
        var names: [[CChar]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                guard errno == 0 else { throw SystemError("read directory", path: self.path, errno: errno) }
                return names
            }
            // The name is read where it lies: an entry may end before `d_name`'s declared 256 bytes do.
            let start = (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \.d_name)!).assumingMemoryBound(to: CChar.self)
            let name = Array(UnsafeBufferPointer(start: start, count: strlen(start) + 1))
            if name != [46, 0], name != [46, 46, 0] { names.append(name) }
        }
    }

    /// Makes the names in this directory durable (fsync).
    public func sync() throws(SystemError) {
        guard fsync(self.descriptor) == 0 else { throw SystemError("sync", path: self.path, errno: errno) }
    }

    /// Writes `data` durably as the file `name`, through a temporary file made afresh
    /// (a link in its place is removed, never written through) and a rename.
    public func writeAtomically(_ data: [UInt8], as name: String, access: FileAccess) throws {
        let temporary = "\(name).tmp"
        try self.remove(temporary)
        let fd = openat(self.descriptor, PathBytes.cString(temporary), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, access.fileMode)
        guard fd >= 0 else { throw SystemError("create", path: self.pathOf(temporary), errno: errno) }
        var writer = FileWriter(file: FileDescriptor(adopting: fd, path: self.pathOf(temporary)))
        try data.withUnsafeBytes { try writer.write($0) }
        try writer.syncAndClose()
        try self.rename(temporary, to: self, as: name)
    }

    /// A name as a path component: its bytes kept (see `PathBytes`).
    private static func string(_ name: [CChar]) -> String {
        PathBytes.string(from: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
    }

    static func warn(_ message: String) {
        let line = Array("warning: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
