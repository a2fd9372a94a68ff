import Foundation
import MapReduce

/// Map outputs a dead worker left, found again: beside each finished map
/// attempt's output, a worker writes which master's job and attempt made it,
/// and a worker that takes over the directory serves those of its own master's
/// current job, so that their maps need not run again.
enum RecoveredMapOutputs {
    /// What the file beside a map output says.
    struct Manifest: Codable {
        var master: String
        var attempt: AttemptID
    }

    static let manifestName = "attempt.json"

    /// Writes the manifest of `attempt`'s output, in `directory`, the attempt's own.
    static func record(_ attempt: AttemptID, of master: String, in directory: String) throws {
        try FileSystem.writeAtomically(Array(try JSONEncoder().encode(Manifest(master: master, attempt: attempt))), to: "\(directory)/\(Self.manifestName)", access: .ownerOnly)
    }

    /// The complete map outputs of job `job` of `master` in `directories` (work directories
    /// of dead workers). An output whose manifest or index cannot be read is passed over.
    static func find(in directories: [String], master: String, job: Int) -> [AttemptID: MapOutput] {
        var found: [AttemptID: MapOutput] = [:]
        for directory in directories.map({ "\($0)/job-\(job)" }) {
            for name in FileSystem.contents(of: directory) ?? [] {
                let attemptDirectory = "\(directory)/\(name)"
                guard let data = try? FileDescriptor.open(reading: "\(attemptDirectory)/\(Self.manifestName)").readToEnd(),
                    let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(data)),
                    manifest.master == master, manifest.attempt.job == job, manifest.attempt.kind == .map
                else { continue }
                let path = "\(attemptDirectory)/\(manifest.attempt).out"
                guard let index = try? SpillIndex.read(from: path) else { continue }
                found[manifest.attempt] = MapOutput(path: path, index: index)
            }
        }
        return found
    }
}
