import MapReduce
import NIOCore

/// Everything peers say to each other. Each message is one frame: a type
/// byte, then (for most types) a JSON body; see docs/wire-protocol.md.
public enum Message: Sendable, Equatable {
    // The handshake, on every connection.
    /// Server to client: the handshake's first message.
    case challenge(Challenge)
    /// Client to server: the answer to the challenge.
    case authenticate(Authenticate)
    /// Server to client: the server's proof; the connection is open.
    case welcome(Welcome)
    /// Either way: one line, after which the sender closes the connection (unless a shuffle service answers a bad fetch).
    case error(ErrorMessage)
    // Worker to master.
    /// Worker to master: the worker introduces itself.
    case register(Register)
    /// Worker to master, and the master's answer: alive, and how far each attempt has got.
    case heartbeat(Heartbeat)
    /// Worker to master: an attempt finished.
    case taskSucceeded(TaskSucceeded)
    /// Worker to master: an attempt failed.
    case taskFailed(TaskFailed)
    /// Worker to master: a reduce attempt could not fetch a map output.
    case fetchFailed(FetchFailed)
    /// Worker to master: a killed attempt has stopped and its slot is free.
    case taskKilled(TaskKilled)
    /// Worker to master: map outputs that a reduce attempt now holds.
    case mapOutputsFetched(MapOutputsFetched)
    /// Worker to master: map outputs of a dead worker that this worker now serves.
    case mapOutputsRecovered(MapOutputsRecovered)
    // Master to worker.
    /// Master to worker: the worker is accepted.
    case registered(Registered)
    /// Master to worker: the job whose tasks follow.
    case startJob(StartJob)
    /// Master to worker: run this map attempt.
    case runMap(RunMap)
    /// Master to worker: run this reduce attempt.
    case runReduce(RunReduce)
    /// Master to worker: where finished map outputs can be fetched.
    case mapOutputs(MapOutputs)
    /// Master to worker: stop this attempt.
    case killTask(KillTask)
    /// Master to worker: the work is over; clean up and exit.
    case shutdown(Shutdown)
    // Reducer to shuffle service, and back.
    /// Reducer to shuffle service: send this partition of this map output.
    case fetch(Fetch)
    /// Shuffle service to reducer: the segment that follows.
    case segmentHeader(SegmentHeader)
    /// Shuffle service to reducer: at most 1 MiB of the segment's stored bytes.
    case segmentChunk(ByteBuffer)
    /// Shuffle service to reducer: the segment is complete.
    case segmentEnd

    /// The message's name, for logs and errors.
    public var name: String {
        switch self {
        case .challenge: "challenge"
        case .authenticate: "authenticate"
        case .welcome: "welcome"
        case .error: "error"
        case .register: "register"
        case .heartbeat: "heartbeat"
        case .taskSucceeded: "taskSucceeded"
        case .taskFailed: "taskFailed"
        case .fetchFailed: "fetchFailed"
        case .taskKilled: "taskKilled"
        case .mapOutputsFetched: "mapOutputsFetched"
        case .mapOutputsRecovered: "mapOutputsRecovered"
        case .registered: "registered"
        case .startJob: "startJob"
        case .runMap: "runMap"
        case .runReduce: "runReduce"
        case .mapOutputs: "mapOutputs"
        case .killTask: "killTask"
        case .shutdown: "shutdown"
        case .fetch: "fetch"
        case .segmentHeader: "segmentHeader"
        case .segmentChunk: "segmentChunk"
        case .segmentEnd: "segmentEnd"
        }
    }
}

/// The server's first words: its protocol version and a fresh random nonce.
public struct Challenge: Codable, Sendable, Equatable {
    /// The server's protocol version.
    public var version: UInt16
    /// 32 random bytes as 64 lowercase hex characters.
    public var nonce: String
}

/// The client's answer: its version, its own nonce, and an HMAC proving it holds the secret.
public struct Authenticate: Codable, Sendable, Equatable {
    /// The client's protocol version.
    public var version: UInt16
    /// The client's nonce: 32 random bytes as 64 lowercase hex characters.
    public var nonce: String
    /// HMAC-SHA256 of `client|S|C` keyed with the secret, in hex.
    public var proof: String
}

/// The server's HMAC over the client's nonce, proving the server holds the secret too.
public struct Welcome: Codable, Sendable, Equatable {
    /// HMAC-SHA256 of `server|C|S` keyed with the secret, in hex.
    public var proof: String
}

/// Why the sender is about to close the connection, or why a request failed.
public struct ErrorMessage: Codable, Sendable, Equatable {
    /// One line.
    public var message: String
}

/// A worker introduces itself.
public struct Register: Codable, Sendable, Equatable {
    /// Where the worker's shuffle service listens.
    public var shuffleHost: String
    /// The port of the worker's shuffle service.
    public var shufflePort: Int
    /// How many tasks it runs at once.
    public var slots: Int
    /// The worker's host name, for logs.
    public var hostName: String
    /// The worker's process id, for logs and for `run` to tell its own workers' deaths.
    public var processID: Int32

    /// Makes the message from its fields.
    public init(shuffleHost: String, shufflePort: Int, slots: Int, hostName: String, processID: Int32) {
        self.shuffleHost = shuffleHost
        self.shufflePort = shufflePort
        self.slots = slots
        self.hostName = hostName
        self.processID = processID
    }
}

/// The master accepts a worker.
public struct Registered: Codable, Sendable, Equatable {
    /// The master's name for the worker.
    public var workerID: String
    /// How often the worker sends a heartbeat.
    public var heartbeatSeconds: Double
    /// Silence from the master after which the worker gives up on it.
    public var timeoutSeconds: Double
}

/// The job whose tasks follow: by name (the worker's executable must have it), its number
/// within the master's run (attempt ids carry it), and its settings (the worker uses its own work directory).
public struct StartJob: Codable, Sendable, Equatable {
    /// The job's name, which the worker's executable must have.
    public var job: String
    /// The job's number within the master's run, from 1.
    public var number: Int
    /// What every task of the job needs; the worker uses its own work directory.
    public var settings: TaskSettings
    /// A random name the master took when it started: map outputs that a worker recovers
    /// from a dead one count only for the master, and the job, that made them.
    public var master: String

    /// Makes the message from its fields.
    public init(job: String, number: Int, settings: TaskSettings, master: String) {
        self.job = job
        self.number = number
        self.settings = settings
        self.master = master
    }
}

/// A worker is alive; the master answers each with one of its own, so that workers know it is alive too.
/// A worker's heartbeat says how far each of its running attempts has got.
public struct Heartbeat: Codable, Sendable, Equatable {
    /// How far each running attempt has got; empty in the master's answer.
    public var progress: [AttemptProgress]

    /// Makes a heartbeat with `progress`.
    public init(progress: [AttemptProgress] = []) {
        self.progress = progress
    }
}

/// How far a running attempt has got through its input.
public struct AttemptProgress: Codable, Sendable, Equatable {
    /// The running attempt.
    public var attempt: AttemptID
    /// Input records read so far (for a reduce attempt: values read).
    public var records: Int64

    /// Makes the progress of `attempt`.
    public init(attempt: AttemptID, records: Int64) {
        self.attempt = attempt
        self.records = records
    }
}

/// Run this map task attempt.
public struct RunMap: Codable, Sendable, Equatable {
    /// The map attempt: its id, its split and the records to skip.
    public var task: MapTask
}

/// Run this reduce task attempt over the output of `mapCount` map tasks, whose locations the
/// worker has been told in `mapOutputs` messages of the job, or is told in those that follow.
public struct RunReduce: Codable, Sendable, Equatable {
    /// The reduce attempt; its task number is the partition.
    public var attempt: AttemptID
    /// The number of map tasks, each of whose outputs the attempt fetches.
    public var mapCount: Int
}

/// Where finished map outputs of job `job` can be fetched, for every reduce attempt of the
/// job the worker runs now or later. A later location of a map replaces an earlier one.
public struct MapOutputs: Codable, Sendable, Equatable {
    /// The job's number within the master's run.
    public var job: Int
    /// The shuffle services the outputs are on; `outputs` names them by index.
    public var servers: [Endpoint]
    /// Three numbers for each output: its map task, the attempt's number, and the index of its shuffle service in `servers`.
    public var outputs: [Int]

    /// Makes the message from its fields.
    public init(job: Int, servers: [Endpoint], outputs: [Int]) {
        self.job = job
        self.servers = servers
        self.outputs = outputs
    }

    /// The outputs, with the attempt ids and addresses they stand for (the message must be valid).
    public var locations: [MapOutputLocation] {
        stride(from: 0, to: self.outputs.count - 2, by: 3).map { index in
            let (map, attempt, server) = (self.outputs[index], self.outputs[index + 1], self.servers[self.outputs[index + 2]])
            return MapOutputLocation(
                map: map, attempt: AttemptID(.map, task: map, attempt: attempt, job: self.job), host: server.host, port: server.port)
        }
    }
}


/// The shuffle service that holds a map task's output.
public struct MapOutputLocation: Codable, Sendable, Hashable {
    /// The map task's number.
    public var map: Int
    /// The map attempt that made the output.
    public var attempt: AttemptID
    /// The shuffle service's host.
    public var host: String
    /// The shuffle service's port.
    public var port: Int
}

/// An attempt finished.
public struct TaskSucceeded: Codable, Sendable, Equatable {
    /// The attempt that finished.
    public var attempt: AttemptID
    /// The attempt's counters.
    public var counters: Counters

    /// Makes the message from its fields.
    public init(attempt: AttemptID, counters: Counters) {
        self.attempt = attempt
        self.counters = counters
    }
}

/// An attempt failed; `message` is one line, the user's own error text where user code threw.
public struct TaskFailed: Codable, Sendable, Equatable {
    /// The attempt that failed.
    public var attempt: AttemptID
    /// One line: the user's own error text where user code threw.
    public var message: String
    /// For a map attempt whose user code threw on a record: that record's number within the split.
    public var record: Int64?

    /// Makes the message from its fields.
    public init(attempt: AttemptID, message: String, record: Int64?) {
        self.attempt = attempt
        self.message = message
        self.record = record
    }
}

/// A reduce attempt could not fetch a map output.
public struct FetchFailed: Codable, Sendable, Equatable {
    /// The reduce attempt that fetched.
    public var reduceAttempt: AttemptID
    /// The map attempt whose output it fetched.
    public var mapAttempt: AttemptID
    /// The shuffle service it was fetched from: a report about a location since replaced is stale.
    public var host: String
    /// The shuffle service's port.
    public var port: Int
    /// What went wrong, in one line.
    public var message: String
    /// Whether the output arrived corrupt (a CRC-32 or length mismatch), rather than not at all.
    public var corrupt: Bool
}

/// A killed attempt has stopped (its user code returned and its files are gone); its slot is free.
public struct TaskKilled: Codable, Sendable, Equatable {
    /// The attempt that stopped.
    public var attempt: AttemptID

    /// Makes the message from its field.
    public init(attempt: AttemptID) {
        self.attempt = attempt
    }
}

/// A reduce attempt holds these maps' outputs now, so losing their worker no longer matters to it.
public struct MapOutputsFetched: Codable, Sendable, Equatable {
    /// The reduce attempt that holds the outputs.
    public var reduceAttempt: AttemptID
    /// Map task numbers, as ranges.
    public var maps: [ClosedRange<Int>]

    /// Makes the message from its fields.
    public init(reduceAttempt: AttemptID, maps: [ClosedRange<Int>]) {
        self.reduceAttempt = reduceAttempt
        self.maps = maps
    }

    /// The message for map task numbers `numbers`, as few ranges as they make.
    public init(reduceAttempt: AttemptID, numbers: some Sequence<Int>) {
        var ranges: [ClosedRange<Int>] = []
        for number in numbers.sorted() {
            if let last = ranges.last, number <= last.upperBound {
                continue
            } else if let last = ranges.last, last.upperBound + 1 == number {
                ranges[ranges.count - 1] = last.lowerBound...number
            } else {
                ranges.append(number...number)
            }
        }
        self.init(reduceAttempt: reduceAttempt, maps: ranges)
    }
}

/// Finished map attempts of the current job whose outputs this worker serves now, found
/// in the work directory of a worker that died on the same host.
public struct MapOutputsRecovered: Codable, Sendable, Equatable {
    /// The map attempts whose outputs the worker serves.
    public var attempts: [AttemptID]

    /// Makes the message from its field.
    public init(attempts: [AttemptID]) {
        self.attempts = attempts
    }
}

/// Stop an attempt: another one won, or the job is over.
public struct KillTask: Codable, Sendable, Equatable {
    /// The attempt to stop.
    public var attempt: AttemptID
}

/// The job is over; the worker cleans up and exits.
public struct Shutdown: Codable, Sendable, Equatable {
    /// Why, for the worker's log.
    public var reason: String
}

/// Send partition `partition` of the output of map attempt `mapAttempt`.
public struct Fetch: Codable, Sendable, Equatable {
    /// The map attempt whose output to send.
    public var mapAttempt: AttemptID
    /// The partition to send.
    public var partition: Int
}

/// The segment that follows in `segmentChunk` frames, then `segmentEnd`.
public struct SegmentHeader: Codable, Sendable, Equatable {
    /// The segment's lengths, record count and CRC-32; its offset is the one in the map output file.
    public var segment: Segment
}
