import Foundation
import MapReduce
import MapReduceCluster
import NIOCore

/// A worker that speaks the real protocol to a master but does no work: a
/// map attempt succeeds `delay` after it starts; a reduce attempt says it
/// fetched every map output the worker is told of (fetching nothing), and
/// succeeds `delay` after the worker has been told of all of them, leaving
/// an empty part file where a real one would leave its output.
actor SimulatedWorker {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let delay: Duration
    private let figures: SimulationFigures
    private let decoding: SharedDecoding
    private var outputDirectory = ""
    private var job = 0
    /// The maps of the current job whose outputs the worker was told of.
    private var known = TaskSet(capacity: 0)
    /// Running attempts; a killed one is forgotten at once.
    private var maps: Set<AttemptID> = []
    private var reduces: [AttemptID: ReduceProgress] = [:]
    /// When each heartbeat not yet answered was sent, oldest first.
    private var heartbeatsSent: [ContinuousClock.Instant] = []

    /// A running reduce attempt.
    private struct ReduceProgress {
        var mapCount: Int
        var finishing = false
    }

    init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, delay: Duration, figures: SimulationFigures, decoding: SharedDecoding) {
        self.outbound = outbound
        self.delay = delay
        self.figures = figures
        self.decoding = decoding
    }

    /// A worker that could not register: the job was over before it came, say.
    struct NotRegistered: Error {
        var error: any Error
    }

    /// Connects to the master at `port`, registers (then calls `registered`) and serves until the master says stop;
    /// large frames are decoded once for all the simulated workers, by `decoding`.
    static func run(
        port: Int, secret: Secret, slots: Int, delay: Duration, figures: SimulationFigures, decoding: SharedDecoding,
        registered done: @Sendable () -> Void
    ) async throws {
        let channel: FramedChannel
        do {
            channel = try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port))
        } catch {
            throw NotRegistered(error: error)
        }
        try await channel.executeThenClose { inbound, outbound in
            var connection = Connection(inbound, outbound, peer: "master")
            let registered: Registered
            do {
                try await Handshake.connect(&connection, secret: secret)
                // No shuffle service listens: nobody fetches from a simulated worker.
                try await connection.send(
                    .register(Register(shuffleHost: "127.0.0.1", shufflePort: 9, slots: slots, hostName: "simulated", processID: 1)))
                guard case .registered(let accepted) = try await connection.expect() else {
                    throw SimulationError("the master did not accept a simulated worker")
                }
                registered = accepted
                done()
            } catch {
                throw NotRegistered(error: error)
            }
            let worker = SimulatedWorker(outbound: outbound, delay: delay, figures: figures, decoding: decoding)
            let heartbeats = Task {
                while (try? await Task.sleep(for: .seconds(registered.heartbeatSeconds))) != nil {
                    await worker.sendHeartbeat()
                }
            }
            defer { heartbeats.cancel() }
            // A master that has committed the job may exit before every worker has read its `shutdown`:
            // a connection that breaks ends the worker too; whether the job was done is checked after.
            do {
                while let frame = try await connection.receiveFrame() {
                    guard await worker.handle(try decoding.decode(frame)) else { return }
                }
            } catch {
                figures.connectionBroken()
            }
        }
    }

    private func sendHeartbeat() async {
        self.heartbeatsSent.append(.now)
        await self.send(.heartbeat(Heartbeat()))
    }

    /// Acts on one message from the master; false once it says stop.
    private func handle(_ decoded: SharedDecoding.Decoded) async -> Bool {
        switch decoded.message {
        case .startJob(let start):
            self.outputDirectory = start.settings.outputDirectory
            self.job = start.number
            self.known = TaskSet(capacity: 0)
        case .heartbeat:
            guard !self.heartbeatsSent.isEmpty else { break }
            self.figures.heartbeatAnswered(after: ContinuousClock.now - self.heartbeatsSent.removeFirst())
        case .runMap(let run):
            self.figures.attemptStarted()
            self.maps.insert(run.task.id)
            self.finish(run.task.id)
        case .runReduce(let run):
            self.figures.attemptStarted()
            self.reduces[run.attempt] = ReduceProgress(mapCount: run.mapCount)
            await self.fetched(MapOutputsFetched(reduceAttempt: run.attempt, numbers: self.known).maps, by: [run.attempt])
        case .mapOutputs(let outputs) where outputs.job == self.job:
            for map in decoded.maps { self.known.insert(map) }
            await self.fetched(decoded.ranges, by: self.reduces.keys.sorted { $0.description < $1.description })
        case .killTask(let kill):
            if self.maps.remove(kill.attempt) != nil || self.reduces.removeValue(forKey: kill.attempt) != nil {
                self.figures.attemptEnded()
                await self.send(.taskKilled(TaskKilled(attempt: kill.attempt)))
            }
        case .shutdown:
            return false
        default:
            break
        }
        return true
    }

    /// Says that reduce attempts `reduces` fetched the outputs of the maps in `ranges`, and finishes those
    /// that now have every map output.
    private func fetched(_ ranges: [ClosedRange<Int>], by reduces: [AttemptID]) async {
        for reduce in reduces where self.reduces[reduce]?.finishing == false {
            if !ranges.isEmpty { await self.send(.mapOutputsFetched(MapOutputsFetched(reduceAttempt: reduce, maps: ranges))) }
            guard var progress = self.reduces[reduce], !progress.finishing, self.known.count == progress.mapCount else { continue }
            progress.finishing = true
            self.reduces[reduce] = progress
            self.finish(reduce)
        }
    }

    /// Reports `attempt` as succeeded after the delay, unless it is killed first.
    private func finish(_ attempt: AttemptID) {
        Task {
            try? await Task.sleep(for: self.delay)
            await self.succeed(attempt)
        }
    }

    private func succeed(_ attempt: AttemptID) async {
        switch attempt.kind {
        case .map:
            guard self.maps.remove(attempt) != nil else { return }
        case .reduce:
            guard self.reduces.removeValue(forKey: attempt) != nil else { return }
            let directory = ReduceTask.attemptOutputDirectory(for: attempt, in: self.outputDirectory)
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: "\(directory)/\(ReduceTask.partFileName(attempt.task))", contents: nil) else {
                    throw SimulationError("cannot make a part file in \(directory)")
                }
            } catch {
                return await self.send(.taskFailed(TaskFailed(attempt: attempt, message: "\(error)", record: nil)))
            }
        }
        self.figures.attemptEnded()
        await self.send(.taskSucceeded(TaskSucceeded(attempt: attempt, counters: Counters())))
    }

    private func send(_ message: Message) async {
        // A write fails only once the master has closed the connection, which ends the receive loop.
        try? await self.outbound.write(message.encoded())
    }
}
