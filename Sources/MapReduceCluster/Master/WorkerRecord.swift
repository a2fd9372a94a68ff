import MapReduce
import NIOCore

/// What the master knows of one connected worker's connection.
struct WorkerRecord: Sendable {
    let id: WorkerID
    let registration: Register
    /// The worker's control connection: messages are written to it straight from the master,
    /// in the order they are sent, with no task in between.
    let channel: any Channel
    var lastHeard: ContinuousClock.Instant

    var shuffleEndpoint: Endpoint { Endpoint(host: self.registration.shuffleHost, port: self.registration.shufflePort) }

    func send(_ message: Message) {
        self.send(frame: message.encoded(allocator: self.channel.allocator))
    }

    /// Sends a message encoded already (one that goes to many workers alike).
    func send(frame: ByteBuffer) {
        self.channel.writeAndFlush(frame, promise: nil)
    }

    /// Closes the connection once what was sent before has been handed to it.
    func close() {
        self.channel.close(promise: nil)
    }
}
