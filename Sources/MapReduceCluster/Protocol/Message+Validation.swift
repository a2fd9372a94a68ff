import MapReduce

/// Every message is checked against `PeerInputLimits` as it is decoded, whoever sent it:
/// one outside them is refused whole (the connection that brought it closes), and free
/// text is made one bounded line. What depends on the job (is this attempt running on
/// the sender?) is checked by the master's scheduler and by the worker.
extension Message {
    /// The message, with its free text made one bounded line; throws if it is outside the limits.
    func validated() throws -> Message {
        let check = Check(message: self.name)
        switch self {
        case .error(var body):
            body.message = PeerText.line(body.message)
            return .error(body)
        case .register(let body):
            try check.host(body.shuffleHost, "shuffleHost")
            try check.port(body.shufflePort, "shufflePort")
            try check.that((1...PeerInputLimits.maxSlots).contains(body.slots), "slots \(body.slots) not in 1...\(PeerInputLimits.maxSlots)")
            try check.host(body.hostName, "hostName")
            try check.that(body.processID > 0, "processID \(body.processID) is not positive")
        case .heartbeat(let body):
            try check.that(body.progress.count <= PeerInputLimits.maxSlots, "\(body.progress.count) progress entries")
            for progress in body.progress {
                try check.attempt(progress.attempt)
                try check.that(progress.records >= 0, "\(progress.records) records read")
            }
        case .taskSucceeded(let body):
            try check.attempt(body.attempt)
            try check.counters(body.counters)
        case .taskFailed(var body):
            try check.attempt(body.attempt)
            try check.that(body.record.map { $0 >= 0 } ?? true, "record \(body.record ?? 0)")
            body.message = PeerText.line(body.message)
            return .taskFailed(body)
        case .fetchFailed(var body):
            try check.attempt(body.reduceAttempt, kind: .reduce)
            try check.attempt(body.mapAttempt, kind: .map)
            try check.host(body.host, "host")
            try check.port(body.port, "port")
            body.message = PeerText.line(body.message)
            return .fetchFailed(body)
        case .taskKilled(let body):
            try check.attempt(body.attempt)
        case .mapOutputsFetched(let body):
            try check.attempt(body.reduceAttempt, kind: .reduce)
            try check.that(body.maps.count <= PeerInputLimits.maxTasks, "\(body.maps.count) ranges of maps")
            for range in body.maps {
                try check.task(range.lowerBound)
                try check.task(range.upperBound)
            }
        case .mapOutputsRecovered(let body):
            try check.that(body.attempts.count <= PeerInputLimits.maxTasks, "\(body.attempts.count) attempts")
            for attempt in body.attempts { try check.attempt(attempt, kind: .map) }
        case .registered(let body):
            try check.that(PeerText.isName(body.workerID), "workerID")
            for (seconds, name) in [(body.heartbeatSeconds, "heartbeatSeconds"), (body.timeoutSeconds, "timeoutSeconds")] {
                try check.that(seconds.isFinite && seconds > 0 && seconds <= 86_400, "\(name) \(seconds) not in (0, 86400]")
            }
        case .startJob(let body):
            try check.that(PeerText.isName(body.job), "job name")
            try check.sequence(body.number, "number")
            try check.settings(body.settings)
        case .runMap(let body):
            try check.attempt(body.task.id, kind: .map)
            try check.split(body.task.split)
            try check.that(body.task.split.more.count <= PeerInputLimits.maxTasks, "\(body.task.split.more.count) more files")
            for split in body.task.split.more { try check.split(split) }
            try check.that(body.task.skipRecords.count <= PeerInputLimits.maxTasks, "\(body.task.skipRecords.count) records to skip")
        case .runReduce(let body):
            try check.attempt(body.attempt, kind: .reduce)
            try check.that((0...PeerInputLimits.maxTasks).contains(body.mapCount), "mapCount \(body.mapCount)")
        case .mapOutputs(let body):
            try check.sequence(body.job, "job")
            try check.that(body.servers.count <= PeerInputLimits.maxTasks, "\(body.servers.count) servers")
            for server in body.servers {
                try check.host(server.host, "host")
                try check.port(server.port, "port")
            }
            try check.that(body.outputs.count % 3 == 0, "\(body.outputs.count) output numbers, not three for each output")
            try check.that(body.outputs.count / 3 <= PeerInputLimits.maxTasks, "\(body.outputs.count / 3) outputs")
            for index in stride(from: 0, to: body.outputs.count, by: 3) {
                try check.task(body.outputs[index])
                try check.sequence(body.outputs[index + 1], "attempt number")
                try check.that(body.servers.indices.contains(body.outputs[index + 2]), "server index \(body.outputs[index + 2])")
            }
        case .killTask(let body):
            try check.attempt(body.attempt)
        case .shutdown(var body):
            body.reason = PeerText.line(body.reason)
            return .shutdown(body)
        case .fetch(let body):
            try check.attempt(body.mapAttempt, kind: .map)
            try check.task(body.partition)
        case .segmentHeader(let body):
            let segment = body.segment
            try check.that((0...PeerInputLimits.maxSegmentLength).contains(segment.length), "segment length \(segment.length)")
            try check.that(segment.offset >= 0 && segment.rawLength >= 0 && segment.records >= 0, "segment \(segment)")
            try check.that(
                (segment.records == 0) == (segment.runs == 0) && segment.runs <= Segment.maxRuns, "segment runs \(segment.runs)")
        case .challenge, .authenticate, .welcome, .segmentChunk, .segmentEnd:
            break
        }
        return self
    }
}

/// The checks of one message, each throwing a `ProtocolError` that names the message and the field.
private struct Check {
    let message: String

    func that(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        guard condition else { throw ProtocolError("invalid \(self.message) message: \(what())") }
    }

    func host(_ name: String, _ field: String) throws {
        try self.that(PeerText.isHostName(name), "\(field) is not a host name")
    }

    func port(_ port: Int, _ field: String) throws {
        try self.that((1...65535).contains(port), "\(field) \(port) not in 1...65535")
    }

    func task(_ number: Int) throws {
        try self.that((0..<PeerInputLimits.maxTasks).contains(number), "task number \(number)")
    }

    func sequence(_ number: Int, _ field: String) throws {
        try self.that((1...PeerInputLimits.maxSequenceNumber).contains(number), "\(field) \(number)")
    }

    /// A well-formed attempt id, of `kind` if given.
    func attempt(_ attempt: AttemptID, kind: AttemptID.Kind? = nil) throws {
        try self.task(attempt.task)
        try self.sequence(attempt.attempt, "attempt number")
        try self.that((0...PeerInputLimits.maxSequenceNumber).contains(attempt.job), "job number \(attempt.job)")
        try self.that(kind.map { $0 == attempt.kind } ?? true, "\(attempt) is not a \(kind.map { "\($0)" } ?? "") attempt")
    }

    /// Counters the master can sum: few, well named, and the framework's never negative.
    func counters(_ counters: Counters) throws {
        for group in [counters.framework, counters.user] {
            try self.that(group.count <= PeerInputLimits.maxCounters, "\(group.count) counters")
            for name in group.keys { try self.that(PeerText.isName(name), "a counter name") }
        }
        for (name, value) in counters.framework { try self.that(value >= 0, "counter \(name) is \(value)") }
        try self.that(counters.amounts.count <= PeerInputLimits.maxCounters, "\(counters.amounts.count) amounts")
        for (name, value) in counters.amounts {
            try self.that(PeerText.isName(name), "an amount's name")
            try self.that(value.isFinite, "amount \(name) is \(value)")
        }
    }

    func split(_ split: InputSplit) throws {
        try self.that(split.start >= 0 && split.length >= 0, "split range \(split.start)+\(split.length)")
        try self.that(!split.start.addingReportingOverflow(split.length).overflow, "split range \(split.start)+\(split.length)")
    }

    func settings(_ settings: TaskSettings) throws {
        // 0 partitions: a map-only job.
        try self.that((0...PeerInputLimits.maxTasks).contains(settings.partitions), "partitions \(settings.partitions)")
        try self.that((1...PeerInputLimits.maxSortBufferBytes).contains(settings.sortBufferBytes), "sortBufferBytes \(settings.sortBufferBytes)")
        try self.that((0...9).contains(settings.compressionLevel), "compressionLevel \(settings.compressionLevel)")
        try self.that(TaskSettings.mergeFactors.contains(settings.mergeFactor), "mergeFactor \(settings.mergeFactor)")
        try self.that(
            settings.partitionBoundaries.count < max(1, settings.partitions), "\(settings.partitionBoundaries.count) partition boundaries")
    }
}
