import MapReduce

/// The count and sum of each sensor's readings (lines `sensor<TAB>value`), with the
/// value type encoded two ways, for `scripts/bench-values`: as JSON (`readings-json`)
/// and by hand (`readings`). Both write `sensor<TAB>count<TAB>sum`.
enum Readings {
    /// Reads one line into a sensor and a value; nil for a malformed line.
    static func parse(_ line: Line) -> (sensor: String, value: Double)? {
        let text = line.string
        guard let tab = text.firstIndex(of: "\t"), let value = Double(text[text.index(after: tab)...]) else { return nil }
        return (String(text[..<tab]), value)
    }
}

/// A running count and sum, however it is encoded.
protocol Tallying: ValueCodable {
    /// The name of the job that uses this encoding.
    static var jobName: String { get }
    var count: Int { get set }
    var sum: Double { get set }
    init(count: Int, sum: Double)
}

/// A running count and sum, encoded by hand: the count as a varint, the sum as 8 bytes.
struct Tally: Tallying {
    static let jobName = "readings"
    var count: Int
    var sum: Double

    func encodeValue(to writer: inout ByteWriter) {
        writer.appendVarint(UInt64(self.count))
        self.sum.encodeKeyComponent(to: &writer)
    }

    static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Tally {
        var reader = ByteReader(bytes)
        let tally = Tally(count: Int(try reader.readVarint()), sum: try Double.decodeKeyComponent(from: &reader))
        guard reader.isAtEnd else { throw .invalid("bytes after a tally") }
        return tally
    }
}

/// The same count and sum, encoded as JSON.
struct JSONTally: Codable, JSONValueCodable, Tallying {
    static let jobName = "readings-json"
    var count: Int
    var sum: Double
}

/// The count and sum of each sensor's readings, with the values encoded as `Value` says.
struct ReadingsJob<Value: Tallying>: Job {
    static var name: String { Value.jobName }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Value>) {
            guard let (sensor, value) = Readings.parse(line) else { return context.counters.increment("malformed lines") }
            context.emit(sensor, Value(count: 1, sum: value))
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Value>, context: inout ReduceContext) {
            var total = Value(count: 0, sum: 0)
            for tally in values {
                total.count += tally.count
                total.sum += tally.sum
            }
            context.write(key, "\(total.count)\t\(total.sum)")
        }
    }
}
