import Foundation

/// Turns the paths, directories and globs a user gave into the list of input files.
public enum InputPaths {
    /// Expands `patterns` into files, in a stable order.
    ///
    /// A directory stands for the files below it, recursively, skipping
    /// names that start with `.` or `_` (hidden files, and job output
    /// markers such as `_SUCCESS`, as Hadoop does). A pattern with `*`, `?`
    /// or `[` is a glob. A file is listed once however often it is named.
    /// Names are bytes, kept exactly (see `PathBytes`), and listed in byte order.
    public static func expand(_ patterns: [String]) throws(JobError) -> [InputFile] {
        var files: [InputFile] = []
        // By bytes: two names that differ only in Unicode normalization are two files.
        var seen: Set<[UInt8]> = []
        for pattern in patterns {
            let matches = isGlob(pattern) ? try glob(pattern) : [pattern]
            for path in matches {
                let found = try filesUnder(path)
                if found.isEmpty, FileSystem.isDirectory(path) {
                    throw JobError("input directory \(PathBytes.display(path)) holds no files")
                }
                for file in found where seen.insert(PathBytes.bytes(of: file.path)).inserted {
                    files.append(file)
                }
            }
        }
        return files
    }

    private static func isGlob(_ pattern: String) -> Bool {
        pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    private static func glob(_ pattern: String) throws(JobError) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let code = PathBytes.withCString(pattern) { Foundation.glob($0, 0, nil, &result) }
        guard code == 0 else {
            let shown = PathBytes.display(pattern)
            throw JobError(code == GLOB_NOMATCH ? "no input matches \(shown)" : "cannot expand the pattern \(shown)")
        }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { PathBytes.string(from: UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
        }
    }

    private static func filesUnder(_ path: String) throws(JobError) -> [InputFile] {
        var info = stat()
        guard PathBytes.withCString(path, { stat($0, &info) }) == 0 else {
            let shown = PathBytes.display(path)
            throw JobError(errno == ENOENT ? "input path does not exist: \(shown)" : "\(SystemError("read", path: shown, errno: errno))")
        }
        if info.st_mode & S_IFMT == S_IFREG {
            return [InputFile(path: path, size: Int64(info.st_size))]
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw JobError("input path is not a file or directory: \(PathBytes.display(path))") }
        let names: [String]
        do {
            names = try Directory(path: path).names()
        } catch {
            throw JobError("cannot list input directory \(PathBytes.display(path)): \(error)")
        }
        var files: [InputFile] = []
        let inByteOrder = names.map { (name: $0, bytes: PathBytes.bytes(of: $0)) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        for name in inByteOrder.map(\.name) where !name.hasPrefix(".") && !name.hasPrefix("_") {
            let child = path.hasSuffix("/") ? path + name : path + "/" + name
            files += try filesUnder(child)
        }
        return files
    }
}
