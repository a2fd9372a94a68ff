import Foundation

/// A tiny tmpfs mounted for one test, to fill up on purpose. Needs root and
/// permission to mount; `unavailableReason` says why not when missing.
public final class SmallDisk: Sendable {
    public let path: String

    public static let unavailableReason: String? = {
        guard geteuid() == 0 else { return "needs root to mount a tmpfs" }
        guard let probe = try? SmallDisk(kilobytes: 64) else { return "mounting a tmpfs is not permitted here" }
        _ = probe
        return nil
    }()

    /// Mounts a tmpfs of `kilobytes` at a fresh directory.
    public init(kilobytes: Int) throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("small-disk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", self.path]) else {
            try? FileManager.default.removeItem(atPath: self.path)
            throw Failure(description: "cannot mount a tmpfs at \(self.path)")
        }
    }

    deinit {
        _ = Self.run("/bin/umount", ["-l", self.path])
        try? FileManager.default.removeItem(atPath: self.path)
    }

    private static func run(_ program: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
