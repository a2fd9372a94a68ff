import Dispatch
/// Runs numbered tasks on a pool of threads, a fixed number at a time.
enum ParallelTasks {
    /// Runs `body` for `0..<count`, at most `width` at once, on Dispatch's
    /// threads; returns the results in task order. After the first failure,
    /// or once the calling task is cancelled, no new task starts and the
    /// running ones are asked to stop (through the control each is handed);
    /// they are waited for, and that failure (or `CancellationError`) is thrown.
    static func run<T: Sendable>(
        count: Int, width: Int, _ body: @escaping @Sendable (Int, AttemptControl) throws -> T
    ) async throws -> [T] {
        let state = Locked(State<T>(results: Array(repeating: nil, count: count)))
        await withTaskCancellationHandler {
            await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
                DispatchQueue.global(qos: .userInitiated).async {
                    DispatchQueue.concurrentPerform(iterations: max(1, min(width, count))) { _ in
                        while let (task, control) = state.withLock({ $0.take() }) {
                            do {
                                let result = try body(task, control)
                                state.withLock { $0.finish(task, result) }
                            } catch {
                                state.withLock { $0.fail(error) }
                            }
                        }
                    }
                    finished.resume()
                }
            }
        } onCancel: {
            state.withLock { $0.fail(CancellationError()) }
        }
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.results.map { $0! }
        }
    }

    private struct State<T: Sendable>: Sendable {
        var results: [T?]
        var next = 0
        var failure: (any Error)?
        /// The controls of the tasks running now.
        var running: [Int: AttemptControl] = [:]

        mutating func take() -> (Int, AttemptControl)? {
            guard self.failure == nil, self.next < self.results.count else { return nil }
            defer { self.next += 1 }
            let control = AttemptControl()
            self.running[self.next] = control
            return (self.next, control)
        }

        mutating func finish(_ task: Int, _ result: T) {
            self.results[task] = result
            self.running[task] = nil
        }

        mutating func fail(_ error: any Error) {
            if self.failure == nil { self.failure = error }
            for control in self.running.values { control.cancel() }
        }
    }
}
