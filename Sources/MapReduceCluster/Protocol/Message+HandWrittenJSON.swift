import MapReduce
import NIOCore

/// A message body read by `JSONReader` rather than `JSONDecoder`: the ones a master
/// gets once per task event or more (a worker's `heartbeat`, `taskSucceeded`,
/// `taskKilled` and `mapOutputsFetched`). The ones it sends most (`runMap`,
/// `mapOutputs`) are written by `JSONWriter`, below.
protocol JSONReadable: Decodable {
    /// The body, or nil if the reader cannot read it (and `JSONDecoder` must).
    static func read(from reader: inout JSONReader) -> Self?
}

extension JSONReadable {
    /// The body `bytes` holds, whole, or nil if `JSONReader` cannot read it.
    static func read(whole bytes: ByteBuffer) -> Self? {
        bytes.withUnsafeReadableBytes { bytes in
            var reader = JSONReader(bytes)
            guard let body = Self.read(from: &reader), reader.atEnd() else { return nil }
            return body
        }
    }
}

extension Heartbeat: JSONReadable {
    static func read(from reader: inout JSONReader) -> Heartbeat? {
        var progress: [AttemptProgress]?
        guard reader.object({ reader, key in
            guard key == "progress", progress == nil else { return false }
            var entries: [AttemptProgress] = []
            guard reader.array({ reader in AttemptProgress.read(from: &reader).map { entries.append($0) } != nil }) else { return false }
            progress = entries
            return true
        }), let progress else { return nil }
        return Heartbeat(progress: progress)
    }
}

extension AttemptProgress {
    static func read(from reader: inout JSONReader) -> AttemptProgress? {
        var attempt: AttemptID?
        var records: Int64?
        guard reader.object({ reader, key in
            switch key {
            case "attempt": return JSONReader.set(&attempt, AttemptID.read(from: &reader))
            case "records": return JSONReader.set(&records, reader.integer())
            default: return false
            }
        }), let attempt, let records else { return nil }
        return AttemptProgress(attempt: attempt, records: records)
    }
}

extension TaskSucceeded: JSONReadable {
    static func read(from reader: inout JSONReader) -> TaskSucceeded? {
        var attempt: AttemptID?
        var counters: Counters?
        guard reader.object({ reader, key in
            switch key {
            case "attempt": return JSONReader.set(&attempt, AttemptID.read(from: &reader))
            case "counters": return JSONReader.set(&counters, Counters.read(from: &reader))
            default: return false
            }
        }), let attempt, let counters else { return nil }
        return TaskSucceeded(attempt: attempt, counters: counters)
    }
}

extension TaskKilled: JSONReadable {
    static func read(from reader: inout JSONReader) -> TaskKilled? {
        var attempt: AttemptID?
        guard reader.object({ reader, key in
            guard key == "attempt" else { return false }
            return JSONReader.set(&attempt, AttemptID.read(from: &reader))
        }), let attempt else { return nil }
        return TaskKilled(attempt: attempt)
    }
}

extension MapOutputsFetched: JSONReadable {
    static func read(from reader: inout JSONReader) -> MapOutputsFetched? {
        var attempt: AttemptID?
        var maps: [ClosedRange<Int>]?
        guard reader.object({ reader, key in
            switch key {
            case "reduceAttempt": return JSONReader.set(&attempt, AttemptID.read(from: &reader))
            case "maps": return JSONReader.set(&maps, Self.readRanges(from: &reader))
            default: return false
            }
        }), let attempt, let maps else { return nil }
        return MapOutputsFetched(reduceAttempt: attempt, maps: maps)
    }

    /// Ranges, each an array of its first and last number (the first not above the last).
    private static func readRanges(from reader: inout JSONReader) -> [ClosedRange<Int>]? {
        var ranges: [ClosedRange<Int>] = []
        let read = reader.array { reader in
            guard reader.consume(UInt8(ascii: "[")), let first = reader.integer().flatMap(Int.init(exactly:)),
                reader.consume(UInt8(ascii: ",")), let last = reader.integer().flatMap(Int.init(exactly:)),
                reader.consume(UInt8(ascii: "]")), first <= last
            else { return false }
            ranges.append(first...last)
            return true
        }
        return read ? ranges : nil
    }
}

extension Counters {
    static func read(from reader: inout JSONReader) -> Counters? {
        var counters = Counters()
        var framework: [String: Int64]?
        var user: [String: Int64]?
        var amounts: [String: Int64]?
        // Amounts with fractions are left to `JSONDecoder`; most jobs have none, or whole ones.
        guard reader.object({ reader, key in
            switch key {
            case "framework": return JSONReader.set(&framework, Self.readCounts(from: &reader))
            case "user": return JSONReader.set(&user, Self.readCounts(from: &reader))
            case "amounts": return JSONReader.set(&amounts, Self.readCounts(from: &reader))
            default: return false
            }
        }), let framework, let user, let amounts else { return nil }
        counters.framework = framework
        counters.user = user
        counters.amounts = amounts.mapValues(Double.init)
        return counters
    }

    private static func readCounts(from reader: inout JSONReader) -> [String: Int64]? {
        var counts: [String: Int64] = [:]
        let read = reader.object { reader, name in
            guard let count = reader.integer() else { return false }
            return counts.updateValue(count, forKey: name) == nil
        }
        return read ? counts : nil
    }
}

extension AttemptID {
    static func read(from reader: inout JSONReader) -> AttemptID? {
        var kind: Kind?
        var task: Int?
        var attempt: Int?
        var job: Int?
        guard reader.object({ reader, key in
            switch key {
            case "kind": return JSONReader.set(&kind, reader.string().flatMap(Kind.init(rawValue:)))
            case "task": return JSONReader.set(&task, reader.integer().flatMap(Int.init(exactly:)))
            case "attempt": return JSONReader.set(&attempt, reader.integer().flatMap(Int.init(exactly:)))
            case "job": return JSONReader.set(&job, reader.integer().flatMap(Int.init(exactly:)))
            default: return false
            }
        }), let kind, let task, let attempt, let job else { return nil }
        return AttemptID(kind, task: task, attempt: attempt, job: job)
    }

    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.field("kind", first: true) { $0.string(self.kind.rawValue) }
            writer.field("task") { $0.integer(self.task) }
            writer.field("attempt") { $0.integer(self.attempt) }
            writer.field("job") { $0.integer(self.job) }
        }
    }
}

extension RunMap {
    /// Writes the body as `JSONEncoder` would, give or take white space, key order and escapes.
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.field("task", first: true) { writer in
                writer.object { writer in
                    writer.field("id", first: true) { self.task.id.write(to: &$0) }
                    writer.field("split") { self.task.split.write(to: &$0) }
                    writer.field("skipRecords") { $0.array(self.task.skipRecords) { $0.integer($1) } }
                }
            }
        }
    }
}

extension InputSplit {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.field("path", first: true) { $0.string(self.path) }
            writer.field("start") { $0.integer(self.start) }
            writer.field("length") { $0.integer(self.length) }
            if let input = self.input { writer.field("input") { $0.string(input) } }
            writer.field("more") { $0.array(self.more) { $1.write(to: &$0) } }
        }
    }
}

extension MapOutputs {
    /// Writes the body as `JSONEncoder` would, give or take white space, key order and escapes.
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.field("job", first: true) { $0.integer(self.job) }
            writer.field("servers") {
                $0.array(self.servers) { writer, server in
                    writer.object { writer in
                        writer.field("host", first: true) { $0.string(server.host) }
                        writer.field("port") { $0.integer(server.port) }
                    }
                }
            }
            writer.field("outputs") { $0.array(self.outputs) { $0.integer($1) } }
        }
    }
}
