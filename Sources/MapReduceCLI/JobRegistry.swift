import MapReduce
import Synchronization

/// The jobs this executable was built with, for the commands to find by name.
enum JobRegistry {
    private static let jobs = Mutex<[AnyJob]>([])

    static func register(_ jobs: [AnyJob]) {
        self.jobs.withLock { $0 = jobs }
    }

    /// Every job, for a worker to find the one its master names.
    static var all: [AnyJob] { self.jobs.withLock { $0 } }

    /// The job called `name`, or the only job when `name` is nil.
    static func job(named name: String?) throws(JobError) -> AnyJob {
        let jobs = self.jobs.withLock { $0 }
        if let name {
            guard let job = jobs.first(where: { $0.name == name }) else {
                throw JobError("no job named \(name) (this executable has: \(jobs.map(\.name).joined(separator: ", ")))")
            }
            return job
        }
        guard jobs.count == 1 else {
            throw JobError("this executable has several jobs; choose one with --job (\(jobs.map(\.name).joined(separator: ", ")))")
        }
        return jobs[0]
    }
}
