import Foundation

/// The few file operations the framework needs, with errors that name the path.
public enum FileSystem {
    /// Renames `source` to `destination`, replacing what is there.
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        let renamed = PathBytes.withCString(source) { source in PathBytes.withCString(destination) { Foundation.rename(source, $0) } }
        guard renamed == 0 else {
            throw SystemError("rename \(source) to", path: destination, errno: errno)
        }
    }

    /// Removes the file at `path`; one that does not exist is no error.
    public static func remove(_ path: String) throws(SystemError) {
        guard PathBytes.withCString(path, { unlink($0) }) == 0 || errno == ENOENT else { throw SystemError("remove", path: path, errno: errno) }
    }

    /// Removes `path` and everything below it, if it exists, never following a
    /// symbolic link below it. The tree is first renamed out of the way, to a
    /// hidden name, so that a thread still making files by their paths under
    /// `path` gets "no such file" instead of making the removal fail half-way,
    /// and nobody looking for `path`'s siblings by name finds it half-removed.
    /// What cannot be removed is named in a warning on standard error.
    public static func removeTree(_ path: String) {
        let (parent, name) = self.split(path)
        do {
            try Directory(path: parent).discard(name)
        } catch where error.errno == ENOENT || error.errno == ENOTDIR {
            return  // nothing there to remove
        } catch {
            Directory.warn("cannot remove \(path): \(error)")
        }
    }

    /// `path`'s parent directory and its last name (trailing slashes ignored).
    static func split(_ path: String) -> (parent: String, name: String) {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else { return (".", String(path)) }
        return (slash == path.startIndex ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// A new directory's name in `parent` (by default `$TMPDIR` or `/tmp`):
    /// `prefix`, this process's id and a random number.
    public static func freshDirectoryName(in parent: String?, prefix: String) -> String {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return "\(base)/\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Creates `path` with the permissions `access` allows (an existing one is an
    /// error), and any missing parents (as the umask allows) if `withParents`.
    public static func makeDirectory(_ path: String, access: FileAccess, withParents: Bool = true) throws(SystemError) {
        if withParents, case let parent = self.split(path).parent, !self.isDirectory(parent) {
            do {
                try self.makeDirectory(parent, access: .umask)
            } catch where error.errno == EEXIST {
                // Made by someone else meanwhile.
            }
        }
        guard PathBytes.withCString(path, { mkdir($0, access.directoryMode) }) == 0 else { throw SystemError("create directory", path: path, errno: errno) }
    }

    /// The names in directory `path`, or nil if it does not exist.
    public static func contents(of path: String) -> [String]? {
        do {
            return try Directory(path: path).names()
        } catch {
            return nil
        }
    }

    /// Whether `path` is a directory (a symbolic link to one counts).
    public static func isDirectory(_ path: String) -> Bool {
        self.status(of: path).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
    }

    /// Whether `path` exists; a symbolic link counts only if what it names exists.
    public static func exists(_ path: String) -> Bool {
        self.status(of: path) != nil
    }

    /// What `path` names, links followed; nil if nothing.
    private static func status(of path: String) -> stat? {
        var info = stat()
        return PathBytes.withCString(path, { stat($0, &info) }) == 0 ? info : nil
    }

    /// Writes `data` to `path` durably, through a temporary file and a rename
    /// (see `Directory.writeAtomically`).
    public static func writeAtomically(_ data: [UInt8], to path: String, access: FileAccess) throws {
        let (parent, name) = self.split(path)
        try Directory(path: parent).writeAtomically(data, as: name, access: access)
    }
}
