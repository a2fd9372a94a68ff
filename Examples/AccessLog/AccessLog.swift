import MapReduce

/// URL access frequency and status code counts over web server access logs.
///
/// Reads the Common and Combined Log Formats
/// (`host ident user [time] "METHOD URL PROTOCOL" status bytes ...`).
/// Output lines are `url<TAB>URL<TAB>count` and `status<TAB>code<TAB>count`.
///
/// What parses: a line's first `"` and the next `"` enclose the request,
/// two or three parts separated by spaces (`METHOD URL` or `METHOD URL
/// PROTOCOL`); after the closing quote come one space and a three-digit
/// status from 100 to 599, then the end of the line or a space. What comes
/// before the request (host, ident, user, time) is not checked. The URL is
/// counted byte for byte as it appears (not percent-decoded, not
/// necessarily UTF-8). Any other line is counted in the counter `malformed
/// lines`, not fatal.
struct AccessLog: Job {
    static var combiner: Combiner<Int>? { .sum }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<KeyPair<String, Bytes>, Int>) {
            guard let request = line.bytes.withUnsafeBytes(LogLine.init) else {
                context.counters.increment("malformed lines")
                return
            }
            context.emit(KeyPair("url", request.url), 1)
            context.emit(KeyPair("status", Bytes(utf8: request.status)), 1)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: KeyPair<String, Bytes>, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }
    }
}

/// The parts of an access log line that the job counts.
struct LogLine {
    /// The URL's bytes as they came (not necessarily UTF-8).
    var url: Bytes
    var status: String

    /// Parses `... "METHOD URL PROTOCOL" STATUS ...`; nil if the line does not have that shape.
    init?(_ bytes: UnsafeRawBufferPointer) {
        let quote = UInt8(ascii: "\""), space = UInt8(ascii: " ")
        guard let open = bytes.firstIndex(of: quote),
            let close = bytes[(open + 1)...].firstIndex(of: quote),
            close + 4 < bytes.count, bytes[close + 1] == space
        else { return nil }
        let request = bytes[(open + 1)..<close].split(separator: space)
        let status = bytes[(close + 2)..<(close + 5)]
        guard request.count == 3 || request.count == 2,
            status.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(status.first!),
            close + 5 == bytes.count || bytes[close + 5] == space
        else { return nil }
        self.url = Bytes(Array(request[1]))
        self.status = String(decoding: status, as: UTF8.self)
    }
}
