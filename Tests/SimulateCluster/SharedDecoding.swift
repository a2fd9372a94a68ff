import MapReduce
import MapReduceCluster
import NIOCore
import Synchronization

/// Decodes, once for all the simulated workers, a large frame that the master sends alike
/// to many of them (a `mapOutputs` message, encoded once and written to every worker that
/// runs reduce attempts), and keeps the map numbers it names as the ranges a
/// `mapOutputsFetched` message carries. On a real cluster each worker host decodes its own
/// copy in its own process; here a thousand copies in one process would take gigabytes and
/// most of the machine's CPU, none of it the master's.
final class SharedDecoding: Sendable {
    /// A decoded frame, with the map numbers of a `mapOutputs` message.
    struct Decoded: Sendable {
        var message: Message
        /// The maps a `mapOutputs` message names, in order of the message.
        var maps: [Int]
        /// The same maps, as few ranges as they make.
        var ranges: [ClosedRange<Int>]
    }

    /// Frames at least this long are decoded once; smaller ones cost little each.
    static let sharedLength = 4 << 10
    /// Large frames kept decoded: more than the master keeps before it merges its messages into one.
    static let kept = 64

    private struct Cache {
        var decoded: [ByteBuffer: Decoded] = [:]
        /// The keys of `decoded`, oldest first.
        var order: [ByteBuffer] = []
    }

    private let cache = Mutex(Cache())

    /// The frame's message, decoded (and validated) as `Message(decoding:)` does.
    func decode(_ frame: ByteBuffer) throws -> Decoded {
        guard frame.readableBytes >= Self.sharedLength else { return try Self.decoded(frame) }
        return try self.cache.withLock { cache in
            if let decoded = cache.decoded[frame] { return decoded }
            let decoded = try Self.decoded(frame)
            cache.decoded[frame] = decoded
            cache.order.append(frame)
            if cache.order.count > Self.kept { cache.decoded[cache.order.removeFirst()] = nil }
            return decoded
        }
    }

    private static func decoded(_ frame: ByteBuffer) throws -> Decoded {
        let message = try Message(decoding: frame)
        guard case .mapOutputs(let outputs) = message else { return Decoded(message: message, maps: [], ranges: []) }
        let maps = stride(from: 0, to: outputs.outputs.count, by: 3).map { outputs.outputs[$0] }
        // Any attempt id will do: only the ranges are kept.
        let ranges = MapOutputsFetched(reduceAttempt: AttemptID(.reduce, task: 0, attempt: 1), numbers: maps).maps
        return Decoded(message: message, maps: maps, ranges: ranges)
    }
}
