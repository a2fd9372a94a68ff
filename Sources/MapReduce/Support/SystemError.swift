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
    public var path: String
    public var errno: Int32

    public init(_ operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String {
        "cannot \(self.operation) \(self.path): \(String(cString: strerror(self.errno)))"
    }
}
