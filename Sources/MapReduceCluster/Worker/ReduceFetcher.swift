import Logging
import MapReduce
import Synchronization

/// Gathers one reduce attempt's input: fetches its partition of every map
/// output as the master announces where each lives, a few at a time,
/// keeping small segments in memory within a budget and writing the rest
/// to disk.
actor ReduceFetcher {
    let attempt: AttemptID
    let mapCount: Int
    private let secret: Secret
    private let directory: String
    private let report: @Sendable (Message) -> Void
    private let logger: Logger
    /// The newest location of each map's output.
    private var locations: [Int: MapOutputLocation] = [:]
    private var fetched: [Int: ReduceInput] = [:]
    private var inFlight: Set<Int> = []
    /// Bytes of the memory budget not yet taken by segments held in memory.
    private let memoryLeft: Mutex<Int64>
    private var waiter: CheckedContinuation<[ReduceInput], Never>?
    private var cancelled = false

    /// Fetches at once per reduce attempt.
    static let parallelFetches = 4
    /// Tries of one location before the failure is reported to the master.
    static let triesBeforeReport = 3

    init(
        attempt: AttemptID, mapCount: Int, secret: Secret, directory: String, memoryBudget: Int64, logger: Logger,
        report: @escaping @Sendable (Message) -> Void
    ) {
        self.attempt = attempt
        self.mapCount = mapCount
        self.secret = secret
        self.directory = directory
        self.memoryLeft = Mutex(memoryBudget)
        self.logger = logger
        self.report = report
    }

    /// Learns where map outputs are; a newer attempt of a map replaces an older one.
    func add(_ newLocations: [MapOutputLocation]) {
        for location in newLocations where self.fetched[location.map] == nil {
            if let known = self.locations[location.map], known.attempt.attempt >= location.attempt.attempt { continue }
            self.locations[location.map] = location
        }
        self.startFetches()
    }

    /// Waits until every map's segment is here; returns them in map order.
    func inputs() async -> [ReduceInput] {
        if self.fetched.count == self.mapCount { return self.ordered() }
        return await withCheckedContinuation { self.waiter = $0 }
    }

    /// Stops starting fetches.
    func cancel() {
        self.cancelled = true
    }

    private func ordered() -> [ReduceInput] {
        (0..<self.mapCount).compactMap { self.fetched[$0] }
    }

    private func startFetches() {
        guard !self.cancelled else { return }
        for (map, location) in self.locations.sorted(by: { $0.key < $1.key })
        where self.fetched[map] == nil && !self.inFlight.contains(map) && self.inFlight.count < Self.parallelFetches {
            self.inFlight.insert(map)
            Task { await self.fetch(location) }
        }
    }

    private func fetch(_ location: MapOutputLocation) async {
        var failures = 0
        while !self.cancelled, self.locations[location.map] == location {
            do {
                let path = "\(self.directory)/\(location.attempt).segment"
                let input = try await ShuffleClient.fetch(location, partition: self.attempt.task, secret: self.secret) { segment in
                    self.reserve(segment.length) ? .memory : .file(path)
                }
                self.arrived(input, for: location)
                return
            } catch {
                failures += 1
                self.logger.warning("fetch failed", metadata: ["map": "\(location.attempt)", "error": "\(error)"])
                // Corrupt data will not heal by itself: say so at once. A peer that
                // cannot be reached may be restarting: say so after a few tries.
                let corrupt = error is SpillFormatError
                if corrupt || failures % Self.triesBeforeReport == 0 {
                    self.report(
                        .fetchFailed(
                            FetchFailed(
                                reduceAttempt: self.attempt, mapAttempt: location.attempt, message: "\(error)", corrupt: corrupt)))
                }
                try? await Task.sleep(for: .milliseconds(100 << min(failures, 4)))
            }
        }
        self.inFlight.remove(location.map)
        self.startFetches()
    }

    /// Takes `bytes` from the memory budget if they fit.
    private nonisolated func reserve(_ bytes: Int64) -> Bool {
        self.memoryLeft.withLock { left in
            guard bytes <= left else { return false }
            left -= bytes
            return true
        }
    }

    private func arrived(_ input: ReduceInput, for location: MapOutputLocation) {
        self.inFlight.remove(location.map)
        self.fetched[location.map] = input
        if self.fetched.count == self.mapCount, let waiter = self.waiter {
            self.waiter = nil
            waiter.resume(returning: self.ordered())
        }
        self.startFetches()
    }
}
