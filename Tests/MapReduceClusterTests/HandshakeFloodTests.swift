import Foundation
import Logging
import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

/// A shuffle service whose handshake is kept full by connections that never answer.
@Suite(.timeLimit(.minutes(1)))
struct HandshakeFloodTests {
    @Test func aFetchWithTheSecretGetsThroughAHandshakeKeptFull() async throws {
        let directory = try TemporaryDirectory()
        let logged = Locked<[String]>([])
        let logger = Logger(label: "test") { _ in RecordingLogHandler(lines: logged) }
        let (shuffle, output, serving) = try await HandshakeAndShuffleTests.shuffleWithOneOutput(directory, logger: logger)
        defer { serving.cancel() }
        let file = try Data(contentsOf: URL(fileURLWithPath: output.path))
        let segment = output.index.segments[1]
        let location = MapOutputLocation(map: 0, attempt: AttemptID(.map, task: 0, attempt: 1), host: "127.0.0.1", port: shuffle.port)
        // More silent connections than the table holds, each the service closes replaced at once.
        let (fetched, _) = try await ConnectionFlood.during(ports: [shuffle.port], held: HandshakeAdmission.capacity + 64) { _ in
            try await eventually("the handshake table full", timeout: 30) {
                logged.withLock { $0.contains { $0.contains("the handshake is full; the oldest waiting connections are evicted") } }
            }
            return try await ShuffleClient.fetch(location, partition: 1, secret: HandshakeAndShuffleTests.secret) { _ in .memory }
        }
        #expect(fetched.source == .memory(Array(file[Int(segment.offset)..<Int(segment.offset + segment.length)])))
    }
}

/// Keeps every line logged through it, with its metadata.
private struct RecordingLogHandler: LogHandler {
    let lines: Locked<[String]>
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}
