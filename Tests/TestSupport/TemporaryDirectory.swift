import Foundation

/// A fresh directory for one test, removed when the test is done with it.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init() throws {
        let base = FileManager.default.temporaryDirectory.path
        self.path = "\(base)/mapreduce-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// Writes `bytes` to `name` inside the directory, readable by its owner only (as
    /// a secret file must be), and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = "\(self.path)/\(name)"
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        return file
    }

    /// The `part-*` files of the output directory `name`, in order, as `[name: contents]`.
    public func partFiles(_ name: String) throws -> [(name: String, contents: [UInt8])] {
        let directory = "\(self.path)/\(name)"
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("part-") }.sorted()
            .map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\($0)")))) }
    }
}
