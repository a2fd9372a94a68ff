import NIOCore

/// Tells workers where a job's map outputs are, at a cost that does not
/// grow with the reduce attempts: outputs announced within a short window
/// go out together as one `mapOutputs` message, encoded once and sent
/// alike to every worker that has run a reduce attempt of the job; a worker
/// given its first reduce attempt is first sent every message so far, so
/// that it knows every output. The messages so far are merged into one,
/// of the outputs as they are now, once there are many.
struct MapOutputBroadcast {
    let job: Int
    /// Outputs announced since the last message.
    private var pending: [Scheduler.MapOutputAt] = []
    /// Every message so far, encoded, oldest first.
    private var sent: [ByteBuffer] = []
    /// Workers that get every message.
    private(set) var subscribers: Set<WorkerID> = []

    /// Messages kept before they are merged into one.
    static let mergeAfter = 32

    init(job: Int) {
        self.job = job
    }

    mutating func announce(_ output: Scheduler.MapOutputAt) {
        self.pending.append(output)
    }

    /// Makes worker `id` get every message from now on; returns the messages it must be sent
    /// first (none if it gets them already).
    mutating func subscribe(_ id: WorkerID) -> [ByteBuffer] {
        guard self.subscribers.insert(id).inserted else { return [] }
        return self.sent
    }

    mutating func unsubscribe(_ id: WorkerID) {
        self.subscribers.remove(id)
    }

    /// The message of the outputs announced since the last one, if any, to send to every subscriber;
    /// `address` gives a connected worker's shuffle service (an output on a worker gone is left out),
    /// and `current` every output as it is now, for merging.
    mutating func flush(
        address: (WorkerID) -> Endpoint?, current: () -> [Scheduler.MapOutputAt]
    ) -> ByteBuffer? {
        guard !self.pending.isEmpty else { return nil }
        let message = self.encode(self.pending, address: address)
        self.pending = []
        self.sent.append(message)
        if self.sent.count > Self.mergeAfter { self.sent = [self.encode(current(), address: address)] }
        return message
    }

    private func encode(_ outputs: [Scheduler.MapOutputAt], address: (WorkerID) -> Endpoint?) -> ByteBuffer {
        var servers: [Endpoint] = []
        var indexes: [WorkerID: Int] = [:]
        var numbers: [Int] = []
        numbers.reserveCapacity(outputs.count * 3)
        for output in outputs {
            guard let address = address(output.worker) else { continue }
            let index =
                indexes[output.worker]
                ?? {
                    servers.append(address)
                    indexes[output.worker] = servers.count - 1
                    return servers.count - 1
                }()
            numbers += [output.attempt.task, output.attempt.attempt, index]
        }
        return Message.mapOutputs(MapOutputs(job: self.job, servers: servers, outputs: numbers)).encoded()
    }
}
