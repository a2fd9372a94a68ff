import MapReduce
import NIOCore

/// Fetches one partition of one map output from the worker that holds it.
public enum ShuffleClient {
    /// Where a fetched segment goes: kept in memory, written to a file at this path, or
    /// nowhere (its length and CRC-32 are checked all the same).
    public enum Destination: Sendable {
        /// Kept in memory.
        case memory
        /// Written to the file at this path.
        case file(String)
        /// Checked and dropped.
        case discard
    }

    /// A shuffle service that sends nothing for this long is given up on.
    static let readTimeout = TimeAmount.seconds(10)
    /// How long a fetch keeps trying again when the service closes the
    /// connection before answering (as it does when a flood evicts it from the
    /// handshake), before it fails.
    static let patience = Duration.seconds(5)

    /// Fetches partition `partition` of the map output at `location` (over
    /// TLS with `security`), and checks its length and CRC-32. `destination`
    /// chooses where the bytes go once the segment's size is known.
    public static func fetch(
        _ location: MapOutputLocation, partition: Int, secret: Secret, security: TransportSecurity?,
        destination: @Sendable (Segment) -> Destination
    ) async throws -> ReduceInput {
        let endpoint = Endpoint(host: location.host, port: location.port)
        return try await Network.withAuthenticatedConnection(
            dial: { try await Network.connect(to: endpoint, readTimeout: Self.readTimeout, security: security) }, secret: secret,
            peer: "shuffle service \(endpoint)", patience: Self.patience
        ) { connection in
            try await connection.send(.fetch(Fetch(mapAttempt: location.attempt, partition: partition)))
            guard case .segmentHeader(let header) = try await connection.expect() else {
                throw ProtocolError("\(endpoint) did not send a segment header")
            }
            return header
        } then: { connection, header, _ in
            let name = "partition \(partition) of \(location.attempt) from \(endpoint)"
            var sink = try SegmentSink(destination(header.segment), length: header.segment.length)
            var crc = CRC32()
            var received: Int64 = 0
            while true {
                let message = try await connection.expect()
                if case .segmentEnd = message { break }
                guard case .segmentChunk(let chunk) = message else { throw ProtocolError.unexpected(message, expecting: "segment data") }
                received += Int64(chunk.readableBytes)
                guard received <= header.segment.length else {
                    throw SpillFormatError(.corrupt, "\(name): more than the \(header.segment.length) bytes announced")
                }
                try chunk.withUnsafeReadableBytes { bytes in
                    crc.update(bytes)
                    try sink.write(bytes)
                }
            }
            guard received == header.segment.length else {
                throw SpillFormatError(.truncated, "\(name): \(received) of \(header.segment.length) bytes")
            }
            guard crc.value == header.segment.crc32 else {
                throw SpillFormatError(.checksumMismatch, "\(name): crc32 \(crc.value), index says \(header.segment.crc32)")
            }
            var segment = header.segment
            segment.offset = 0
            return ReduceInput(source: try sink.finish(), segment: segment, name: name)
        }
    }
}

/// Collects a fetched segment's bytes in memory or in a file, or lets them go.
private struct SegmentSink: ~Copyable {
    private let destination: ShuffleClient.Destination
    private var bytes: [UInt8] = []
    private var file: FileWriter?

    /// A sink for a segment of `length` bytes; one kept in memory takes just
    /// that (the destination is `memory` only when they fit the budget).
    init(_ destination: ShuffleClient.Destination, length: Int64) throws {
        self.destination = destination
        if case .memory = destination { self.bytes.reserveCapacity(Int(length)) }
        if case .file(let path) = destination { self.file = try FileWriter(path: path, access: .ownerOnly) } else { self.file = nil }
    }

    mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
        switch self.destination {
        case .memory: self.bytes.append(contentsOf: chunk)
        case .file: try self.file!.write(chunk)
        case .discard: break
        }
    }

    consuming func finish() throws -> ReduceInput.Source {
        guard case .file(let path) = self.destination else { return .memory(self.bytes) }
        try self.file.take()!.close()
        return .file(path)
    }
}
