#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file that closes itself.
public struct FileDescriptor: ~Copyable {
    /// The OS's descriptor; -1 once closed.
    public private(set) var rawValue: Int32
    /// The path it was opened at, for error messages.
    public let path: String

    /// Opens `path` for reading.
    public static func open(reading path: String) throws(SystemError) -> FileDescriptor {
        try FileDescriptor(path: path, flags: O_RDONLY | O_CLOEXEC)
    }

    /// Creates or truncates `path` for writing; a file it creates gets the permissions `access` allows.
    public static func open(writing path: String, access: FileAccess) throws(SystemError) -> FileDescriptor {
        try FileDescriptor(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: access.fileMode)
    }

    /// Opens `path` for writing at its end, making it if it is not there with the permissions `access` allows.
    public static func open(appending path: String, access: FileAccess) throws(SystemError) -> FileDescriptor {
        try FileDescriptor(path: path, flags: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode: access.fileMode)
    }

    /// Opens `path` to hold a lock on; with `creating`, makes it if it is not there.
    public static func open(locking path: String, creating: Bool) throws(SystemError) -> FileDescriptor {
        try FileDescriptor(path: path, flags: O_RDWR | O_CLOEXEC | (creating ? O_CREAT : 0))
    }

    /// Takes an exclusive `flock` on the file without waiting; false if another open file holds one.
    /// The lock goes when the descriptor is closed, however the process ends.
    public func tryLock() -> Bool {
        flock(self.rawValue, LOCK_EX | LOCK_NB) == 0
    }

    private init(path: String, flags: Int32, mode: mode_t = 0) throws(SystemError) {
        let fd = systemOpen(path, flags, mode)
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        self.init(adopting: fd, path: path)
    }

    /// Takes ownership of the open descriptor `fd`, opened at `path`.
    init(adopting fd: Int32, path: String) {
        self.rawValue = fd
        self.path = path
    }

    deinit {
        if self.rawValue >= 0 { close(self.rawValue) }
    }

    /// Makes what was written durable (fsync), then closes the file; either
    /// failing is an error (on a network filesystem, a full disk may only show here).
    public mutating func syncAndClose() throws(SystemError) {
        let fd = self.rawValue
        self.rawValue = -1
        guard fsync(fd) == 0 else {
            let error = SystemError("sync", path: self.path, errno: errno)
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw SystemError("close", path: self.path, errno: errno) }
    }

    /// Makes what was written durable (fsync).
    public func sync() throws(SystemError) {
        guard fsync(self.rawValue) == 0 else { throw SystemError("sync", path: self.path, errno: errno) }
    }

    /// Cuts the file to its first `length` bytes.
    public func truncate(to length: Int64) throws(SystemError) {
        guard ftruncate(self.rawValue, off_t(length)) == 0 else { throw SystemError("truncate", path: self.path, errno: errno) }
    }

    /// The file's size in bytes.
    public func size() throws(SystemError) -> Int64 {
        try self.status().size
    }

    /// The file's type, links, owner, permissions and size.
    public func status() throws(SystemError) -> FileStatus {
        var info = stat()
        guard fstat(self.rawValue, &info) == 0 else { throw SystemError("stat", path: self.path, errno: errno) }
        return FileStatus(info)
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(self.rawValue, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("read", path: self.path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads from the current position to the end (of a file, or of what a pipe's writer sends).
    public func readToEnd() throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(self.rawValue, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("read", path: self.path, errno: errno)
            }
            if n == 0 { return bytes }
            bytes += chunk[..<n]
        }
    }

    /// Writes all of `bytes` at the current position.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(self.rawValue, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("write", path: self.path, errno: errno)
            }
            done += n
        }
    }
}

// The C functions, under names that the methods above do not shadow.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    PathBytes.withCString(path) { open($0, flags, mode) }
}
private func systemRead(_ fd: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, bytes, count) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
