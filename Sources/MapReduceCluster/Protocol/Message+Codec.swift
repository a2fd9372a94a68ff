import Foundation
import NIOCore

extension Message {
    private enum Kind: UInt8 {
        case challenge = 1, authenticate, welcome, error
        case register = 10, heartbeat, taskSucceeded, taskFailed, fetchFailed, taskKilled, mapOutputsFetched, mapOutputsRecovered
        case registered = 20, runMap, runReduce, mapOutputs, killTask, shutdown, startJob
        case fetch = 30, segmentHeader, segmentChunk, segmentEnd
    }

    /// The message as one frame's payload: a type byte, then the body.
    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        // Room for the most frequent messages (runMap, heartbeat, killTask) at once.
        var buffer = allocator.buffer(capacity: 256)
        func json(_ kind: Kind, _ body: some Encodable) {
            buffer.writeInteger(kind.rawValue)
            // Encoding these plain structs to JSON cannot fail.
            buffer.writeBytes(try! JSONEncoder().encode(body))
        }
        // The messages the master sends most (one per map attempt, and every 100 ms to every reducer's
        // worker) are written by hand: `JSONEncoder` cost the master more than the rest of a task event.
        func handWritten(_ kind: Kind, _ write: (inout JSONWriter) -> Void) {
            buffer.writeInteger(kind.rawValue)
            // The writer takes the buffer over (no second reference, so no copy as it grows), then hands it back.
            var writer = JSONWriter(buffer: ByteBuffer())
            swap(&writer.buffer, &buffer)
            write(&writer)
            swap(&writer.buffer, &buffer)
        }
        switch self {
        case .challenge(let body): json(.challenge, body)
        case .authenticate(let body): json(.authenticate, body)
        case .welcome(let body): json(.welcome, body)
        case .error(let body): json(.error, body)
        case .register(let body): json(.register, body)
        case .heartbeat(let body): json(.heartbeat, body)
        case .taskSucceeded(let body): json(.taskSucceeded, body)
        case .taskFailed(let body): json(.taskFailed, body)
        case .fetchFailed(let body): json(.fetchFailed, body)
        case .taskKilled(let body): json(.taskKilled, body)
        case .mapOutputsFetched(let body): json(.mapOutputsFetched, body)
        case .mapOutputsRecovered(let body): json(.mapOutputsRecovered, body)
        case .registered(let body): json(.registered, body)
        case .startJob(let body): json(.startJob, body)
        case .runMap(let body): handWritten(.runMap, body.write)
        case .runReduce(let body): json(.runReduce, body)
        case .mapOutputs(let body): handWritten(.mapOutputs, body.write)
        case .killTask(let body): json(.killTask, body)
        case .shutdown(let body): json(.shutdown, body)
        case .fetch(let body): json(.fetch, body)
        case .segmentHeader(let body): json(.segmentHeader, body)
        case .segmentChunk(let bytes):
            buffer.writeInteger(Kind.segmentChunk.rawValue)
            buffer.writeImmutableBuffer(bytes)
        case .segmentEnd:
            buffer.writeInteger(Kind.segmentEnd.rawValue)
        }
        return buffer
    }

    /// Decodes one frame's payload, and checks it against `PeerInputLimits` (see `validated()`).
    public init(decoding frame: ByteBuffer) throws {
        self = try Self.parse(frame).validated()
    }

    private static func parse(_ frame: ByteBuffer) throws -> Message {
        var frame = frame
        guard let byte = frame.readInteger(as: UInt8.self) else { throw ProtocolError("empty frame") }
        guard let kind = Kind(rawValue: byte) else { throw ProtocolError("unknown message type \(byte)") }
        // A worker's messages are small.
        if (Kind.register.rawValue..<Kind.registered.rawValue).contains(byte), frame.readableBytes > PeerInputLimits.maxWorkerMessageLength {
            throw ProtocolError("\(kind) message of \(frame.readableBytes) bytes is larger than the limit of \(PeerInputLimits.maxWorkerMessageLength)")
        }
        func json<T: Decodable>(_ type: T.Type) throws -> T {
            // Any body nests only a few levels, and deeper nesting is refused before a recursive decoder sees it.
            guard !JSONNesting.exceeds(PeerInputLimits.maxJSONDepth, in: frame.readableBytesView) else {
                throw ProtocolError("\(kind) message nests deeper than \(PeerInputLimits.maxJSONDepth) levels")
            }
            do {
                return try JSONDecoder().decode(T.self, from: Data(frame.readableBytesView))
            } catch {
                throw ProtocolError("malformed \(kind) message")
            }
        }
        /// The messages the master gets most are read without Foundation when they can be (most of the time).
        func read<T: JSONReadable>(_ type: T.Type) throws -> T {
            try T.read(whole: frame) ?? json(type)
        }
        switch kind {
        case .challenge: return .challenge(try json(Challenge.self))
        case .authenticate: return .authenticate(try json(Authenticate.self))
        case .welcome: return .welcome(try json(Welcome.self))
        case .error: return .error(try json(ErrorMessage.self))
        case .register: return .register(try json(Register.self))
        case .heartbeat: return .heartbeat(try read(Heartbeat.self))
        case .taskSucceeded: return .taskSucceeded(try read(TaskSucceeded.self))
        case .taskFailed: return .taskFailed(try json(TaskFailed.self))
        case .fetchFailed: return .fetchFailed(try json(FetchFailed.self))
        case .taskKilled: return .taskKilled(try read(TaskKilled.self))
        case .mapOutputsFetched: return .mapOutputsFetched(try read(MapOutputsFetched.self))
        case .mapOutputsRecovered: return .mapOutputsRecovered(try json(MapOutputsRecovered.self))
        case .registered: return .registered(try json(Registered.self))
        case .startJob: return .startJob(try json(StartJob.self))
        case .runMap: return .runMap(try json(RunMap.self))
        case .runReduce: return .runReduce(try json(RunReduce.self))
        case .mapOutputs: return .mapOutputs(try json(MapOutputs.self))
        case .killTask: return .killTask(try json(KillTask.self))
        case .shutdown: return .shutdown(try json(Shutdown.self))
        case .fetch: return .fetch(try json(Fetch.self))
        case .segmentHeader: return .segmentHeader(try json(SegmentHeader.self))
        case .segmentChunk: return .segmentChunk(frame)
        case .segmentEnd: return .segmentEnd
        }
    }
}
