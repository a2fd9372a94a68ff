import MapReduce

/// An attempt a worker runs: how to stop it and how far it has got, the
/// fetcher gathering its input (reduce attempts), and whether the master
/// has told it to stop.
struct RunningAttempt {
    let control = AttemptControl()
    var fetcher: ReduceFetcher?
    /// Set on `killTask`; the attempt then ends with `taskKilled`, whatever its code returned.
    var killed = false

    /// Stops the attempt: its fetches, and its user code at the next record.
    func stop() {
        self.control.cancel()
        if let fetcher = self.fetcher { Task { await fetcher.cancel() } }
    }
}
