import Crypto
import Foundation
import MapReduce

/// What makes a job the same job: a journal is replayed only for the job it
/// was written for. The readable fields name what differs; the digest
/// covers everything tasks are told (splits and settings).
public struct JobIdentity: Codable, Sendable, Equatable {
    /// The job's name.
    public var job: String
    /// The inputs as given.
    public var inputs: [String]
    /// The output directory.
    public var output: String
    /// The map tasks.
    public var maps: Int
    /// The reduce tasks.
    public var reduces: Int
    /// SHA-256, in hex, of the splits and the task settings.
    public var digest: String

    /// The identity of `plan`'s job.
    public init(_ plan: JobPlan) throws {
        self.job = plan.job.name
        self.inputs = plan.inputs
        self.output = plan.settings.outputDirectory
        self.maps = plan.splits.count
        self.reduces = plan.settings.partitions
        var settings = plan.settings
        settings.workDirectory = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var hash = SHA256()
        hash.update(data: try encoder.encode(plan.splits))
        hash.update(data: try encoder.encode(settings))
        self.digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// What differs between this identity (a journal's) and `other` (the job given now), in a few words; nil if nothing.
    public func difference(from other: JobIdentity) -> String? {
        if self.job != other.job { return "it is of job \(self.job), not \(other.job)" }
        if self.inputs != other.inputs { return "its inputs were \(self.inputs.joined(separator: " ")), not \(other.inputs.joined(separator: " "))" }
        if self.output != other.output { return "its output was \(self.output), not \(other.output)" }
        if self.maps != other.maps { return "its inputs made \(self.maps) map tasks, not \(other.maps)" }
        if self.reduces != other.reduces { return "it had \(self.reduces) reduce tasks, not \(other.reduces)" }
        if self.digest != other.digest { return "its input files or settings (split size, parameters, sort buffer, compression) were others" }
        return nil
    }
}
