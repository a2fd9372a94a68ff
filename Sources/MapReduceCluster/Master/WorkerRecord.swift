import MapReduce

/// What the master knows of one connected worker's connection.
struct WorkerRecord: Sendable {
    let id: WorkerID
    let registration: Register
    /// Messages to the worker; the connection's writer drains it.
    let outbox: AsyncStream<Message>.Continuation
    var lastHeard: ContinuousClock.Instant

    var shuffleEndpoint: Endpoint { Endpoint(host: self.registration.shuffleHost, port: self.registration.shufflePort) }

    func send(_ message: Message) {
        self.outbox.yield(message)
    }
}
