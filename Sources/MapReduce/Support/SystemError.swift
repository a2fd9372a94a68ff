#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call on a file that failed: what was done, to which path, and the OS's message.
public struct SystemError: Error, Hashable, CustomStringConvertible {
    /// What was being done, e.g. "open" or "write".
    public var operation: String
    /// The path the call was given.
    public var path: String
    /// The `errno` the call set.
    public var errno: Int32

    /// Makes the error of `operation` on `path` that failed with `errno`.
    public init(_ operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `cannot`, the operation, the path and the OS's message.
    public var description: String {
        "cannot \(self.operation) \(PathBytes.display(self.path)): \(String(cString: strerror(self.errno)))"
    }
}
