import Logging
import MapReduce
/// Gathers one reduce attempt's input: fetches its partition of every map
/// output as the master announces where each lives, a few at a time,
/// keeping small segments in memory within a budget and writing the rest
/// to disk.
actor ReduceFetcher {
    let attempt: AttemptID
    let mapCount: Int
    private let secret: Secret
    private let security: TransportSecurity?
    private let directory: String
    private let report: @Sendable (Message) -> Void
    private let logger: Logger
    private let metrics: WorkerMetrics
    /// The newest location of each map's output.
    private var locations: [Int: MapOutputLocation] = [:]
    private var fetched: [Int: ReduceInput] = [:]
    /// The fetch under way for each map, cancelled when a newer location replaces its own.
    private var inFlight: [Int: Task<Void, Never>] = [:]
    private let memory: MemoryBudget
    private var waiter: CheckedContinuation<[ReduceInput], any Error>?
    private var cancelled = false
    /// Maps whose segments arrived and that the master has not been told of yet.
    private var unreported: [Int] = []

    /// Fetches at once per reduce attempt.
    static let parallelFetches = 4
    /// Tries of one location before the failure is reported to the master.
    static let triesBeforeReport = 3
    /// How long arrived segments wait to be reported together.
    static let reportDelay: Duration = .milliseconds(100)

    /// A fetcher for `attempt`, which starts with the map output locations `known`.
    init(
        attempt: AttemptID, mapCount: Int, known: [MapOutputLocation], secret: Secret, security: TransportSecurity?, directory: String,
        memoryBudget: Int64, metrics: WorkerMetrics, logger: Logger, report: @escaping @Sendable (Message) -> Void
    ) {
        self.metrics = metrics
        self.attempt = attempt
        self.mapCount = mapCount
        for location in known where location.map < mapCount { self.locations[location.map] = location }
        self.secret = secret
        self.security = security
        self.directory = directory
        self.memory = MemoryBudget(memoryBudget)
        self.logger = logger
        self.report = report
    }

    /// Learns where map outputs are; a newer attempt of a map replaces an older one, and so
    /// does the same attempt served elsewhere (recovered by a worker that took over its host's files).
    /// A location of a map beyond `mapCount` is not one of this job's and is ignored.
    func add(_ newLocations: [MapOutputLocation]) {
        for location in newLocations where self.fetched[location.map] == nil {
            guard location.map < self.mapCount else {
                self.logger.warning("ignored the location of a map the job does not have", metadata: ["map": "\(location.attempt)"])
                continue
            }
            guard location.supersedes(self.locations[location.map]) else { continue }
            self.locations[location.map] = location
            self.inFlight.removeValue(forKey: location.map)?.cancel()
        }
        self.startFetches()
    }

    /// Waits until every map's segment is here; returns them in map order.
    func inputs() async throws -> [ReduceInput] {
        if self.cancelled { throw CancellationError() }
        if self.fetched.count == self.mapCount { return self.ordered() }
        self.startFetches()
        return try await withCheckedThrowingContinuation { self.waiter = $0 }
    }

    /// Stops fetching; `inputs()` throws `CancellationError`.
    func cancel() {
        self.cancelled = true
        for task in self.inFlight.values { task.cancel() }
        self.inFlight = [:]
        self.waiter?.resume(throwing: CancellationError())
        self.waiter = nil
    }

    private func ordered() -> [ReduceInput] {
        (0..<self.mapCount).compactMap { self.fetched[$0] }
    }

    private func startFetches() {
        guard !self.cancelled else { return }
        for (map, location) in self.locations.sorted(by: { $0.key < $1.key })
        where self.fetched[map] == nil && self.inFlight[map] == nil && self.inFlight.count < Self.parallelFetches {
            self.inFlight[map] = Task { await self.fetch(location) }
        }
    }

    /// Fetches `location` until it arrives, it is replaced by a newer location, or the fetcher is cancelled.
    private func fetch(_ location: MapOutputLocation) async {
        var failures = 0
        while !self.cancelled, !Task.isCancelled, self.locations[location.map] == location {
            let reservation = MemoryBudget.Reservation()
            do {
                let path = "\(self.directory)/\(location.attempt).segment"
                let input = try await ShuffleClient.fetch(location, partition: self.attempt.task, secret: self.secret, security: self.security) { segment in
                    self.memory.reserve(segment.length, into: reservation) ? .memory : .file(path)
                }
                guard !Task.isCancelled else { break }
                self.metrics.fetched(input.segment.length)
                self.arrived(input, for: location)
                return
            } catch {
                self.memory.release(reservation)
                guard !Task.isCancelled, !self.cancelled else { break }
                failures += 1
                self.logger.warning("fetch failed", metadata: ["map": "\(location.attempt)", "error": "\(error)"])
                // Corrupt data will not heal by itself: say so at once. A peer that
                // cannot be reached may be restarting: say so after a few tries.
                let corrupt = error is SpillFormatError
                if corrupt || failures % Self.triesBeforeReport == 0 {
                    self.report(
                        .fetchFailed(
                            FetchFailed(
                                reduceAttempt: self.attempt, mapAttempt: location.attempt, host: location.host, port: location.port,
                                message: "\(error)", corrupt: corrupt)))
                }
                try? await Task.sleep(for: .milliseconds(100 << min(failures, 4)))
            }
        }
        if self.locations[location.map] == location { self.inFlight[location.map] = nil }
        self.startFetches()
    }

    /// Keeps a segment that arrived and tells the master, to which losing its map's output no longer matters for this attempt.
    private func arrived(_ input: ReduceInput, for location: MapOutputLocation) {
        self.inFlight[location.map] = nil
        self.fetched[location.map] = input
        self.unreported.append(location.map)
        if self.fetched.count == self.mapCount {
            self.reportFetched()
        } else if self.unreported.count == 1 {
            Task {
                try? await Task.sleep(for: Self.reportDelay)
                self.reportFetched()
            }
        }
        if self.fetched.count == self.mapCount, let waiter = self.waiter {
            self.waiter = nil
            waiter.resume(returning: self.ordered())
        }
        self.startFetches()
    }

    /// Tells the master which maps' segments arrived since it was last told, in one message.
    private func reportFetched() {
        guard !self.unreported.isEmpty, !self.cancelled else { return }
        self.report(.mapOutputsFetched(MapOutputsFetched(reduceAttempt: self.attempt, numbers: self.unreported)))
        self.unreported = []
    }
}

extension MapOutputLocation {
    /// Whether this location of a map's output replaces `known`: it is of a later attempt, or of
    /// the same one served elsewhere (recovered by a worker that took over its host's files).
    func supersedes(_ known: MapOutputLocation?) -> Bool {
        guard let known else { return true }
        return known.attempt.attempt < self.attempt.attempt || (known.attempt.attempt == self.attempt.attempt && known != self)
    }
}

/// Bytes a reduce attempt may hold in memory for fetched segments.
final class MemoryBudget: Sendable {
    private let left: Locked<Int64>

    /// What one fetch took from the budget, to give back if it fails.
    final class Reservation: Sendable {
        let bytes = Locked<Int64>(0)
    }

    init(_ bytes: Int64) {
        self.left = Locked(bytes)
    }

    /// Takes `bytes` (recording them in `reservation`) if they fit.
    func reserve(_ bytes: Int64, into reservation: Reservation) -> Bool {
        self.left.withLock { left in
            guard bytes <= left else { return false }
            left -= bytes
            reservation.bytes.withLock { $0 += bytes }
            return true
        }
    }

    /// Gives back what `reservation` took.
    func release(_ reservation: Reservation) {
        let bytes = reservation.bytes.withLock { bytes in
            defer { bytes = 0 }
            return bytes
        }
        self.left.withLock { $0 += bytes }
    }
}
