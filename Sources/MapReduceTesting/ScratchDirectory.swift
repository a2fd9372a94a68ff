import Foundation
import MapReduce

/// A private temporary directory for one run of the test kit.
struct ScratchDirectory {
    let path = FileSystem.freshDirectoryName(in: nil, prefix: "mapreduce-testing")

    /// Makes a scratch directory, runs `body` in it, and removes it.
    static func using<T>(_ body: (String) throws -> T) throws -> T {
        let directory = ScratchDirectory()
        try FileSystem.makeDirectory(directory.path, access: .ownerOnly)
        defer { directory.remove() }
        return try body(directory.path)
    }

    /// Writes `files`, by relative name, under `subdirectory`; returns that directory's path.
    func write(_ files: [String: [UInt8]], under subdirectory: String) throws -> String {
        let root = "\(self.path)/\(subdirectory)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let url = URL(fileURLWithPath: "\(root)/\(name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return root
    }

    func remove() {
        FileSystem.removeTree(self.path)
    }
}

/// The parameters a job's tasks see: the given ones, the job's defaults, checked by the job.
enum JobDefaults {
    static func parameters<J: Job>(of job: J.Type, _ given: [String: String]) throws -> JobParameters {
        let parameters = try JobConfiguration.check(given, against: J.parameters, of: J.name)
        try AnyJob(J.self).validate(parameters)
        return parameters
    }
}
