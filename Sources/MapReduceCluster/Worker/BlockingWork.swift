import Dispatch

/// Runs CPU-bound or blocking work (user code, sorting, compression) on
/// Dispatch's threads, off the Swift concurrency pool and NIO's event
/// loops, so that heartbeats and the shuffle service keep running.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "mapreduce.tasks", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            self.queue.async { continuation.resume(returning: Result { try body() }) }
        }
    }
}
