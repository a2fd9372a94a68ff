import MapReduce
import NIOCore

/// What the master knows of one connected worker's connection.
struct WorkerRecord: Sendable {
    let id: WorkerID
    let registration: Register
    /// Encoded messages to the worker; the connection's writer drains it.
    let outbox: AsyncStream<ByteBuffer>.Continuation
    var lastHeard: ContinuousClock.Instant

    var shuffleEndpoint: Endpoint { Endpoint(host: self.registration.shuffleHost, port: self.registration.shufflePort) }

    func send(_ message: Message) {
        self.outbox.yield(message.encoded())
    }

    /// Sends a message encoded already (one that goes to many workers alike).
    func send(frame: ByteBuffer) {
        self.outbox.yield(frame)
    }
}
