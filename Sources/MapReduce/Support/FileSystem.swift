import Foundation

/// The few file operations the framework needs, with errors that name the path.
public enum FileSystem {
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        guard Foundation.rename(source, destination) == 0 else {
            throw SystemError("rename \(source) to", path: destination, errno: errno)
        }
    }

    public static func remove(_ path: String) throws(SystemError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw SystemError("remove", path: path, errno: errno) }
    }

    /// Removes `path` and everything below it, if it exists. The tree is first
    /// renamed out of the way, to a hidden name, so that a thread still making
    /// files by their paths under `path` gets "no such file" instead of making the
    /// removal fail half-way, and nobody looking for `path`'s siblings by name
    /// finds it half-removed. What cannot be removed is named in a warning on
    /// standard error.
    public static func removeTree(_ path: String) {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        var target = "\(path[..<slash]).\(path[slash...]).removing-\(UInt32.random(in: 0...UInt32.max))"
        if Foundation.rename(path, target) != 0 {
            guard errno != ENOENT, errno != ENOTDIR else { return }  // nothing there to remove
            target = path
        }
        do {
            try FileManager.default.removeItem(atPath: target)
        } catch {
            FileHandle.standardError.write(Data("warning: cannot remove \(path): \(error)\n".utf8))
        }
    }

    /// A new directory's name in `parent` (by default `$TMPDIR` or `/tmp`):
    /// `prefix`, this process's id and a random number.
    public static func freshDirectoryName(in parent: String?, prefix: String) -> String {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return "\(base)/\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Creates `path`, and any missing parents if `withParents`.
    public static func makeDirectory(_ path: String, withParents: Bool = true) throws(SystemError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: withParents)
        } catch {
            throw SystemError("create directory", path: path, errno: Self.errorNumber(of: error))
        }
    }

    /// The names in directory `path`, or nil if it does not exist.
    public static func contents(of path: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: path)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Writes `data` to `path` durably, through a temporary file and a rename.
    public static func writeAtomically(_ data: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        var writer = try FileWriter(path: temporary)
        try data.withUnsafeBytes { try writer.write($0) }
        try writer.syncAndClose()
        try rename(temporary, to: path)
    }

    /// Makes the names in directory `path` durable (fsync on the directory).
    public static func syncDirectory(_ path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemError("sync", path: path, errno: errno) }
    }

    private static func errorNumber(of error: any Error) -> Int32 {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return Int32(underlying?.code ?? Int(EIO))
    }
}
