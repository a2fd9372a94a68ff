import MapReduce
import MapReduceTesting
import Testing

@testable import accesslog

@Suite struct AccessLogTests {
    static func line(_ url: String, _ status: Int) -> String {
        #"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET \#(url) HTTP/1.0" \#(status) 2326"#
    }

    @Test func theMapperCountsEachRequestsURLAndStatusAndSkipsWhatDoesNotParse() throws {
        let run = try MapDriver(AccessLog.self).run(lines: [Self.line("/a", 200), "garbage", #"h - - [t] "GET /b HTTP/1.1" 99x 1"#])
        #expect(run.emitted.map { "\($0.key.first) \($0.key.second) \($0.value)" } == ["url /a 1", "status 200 1"])
        #expect(run.counters.user["malformed lines"] == 2)
    }

    /// The documented rule, case by case.
    @Test(arguments: [
        (#"h - - [t] "GET /a HTTP/1.1" 200 5"#, true),
        (#"h - - [t] "GET /a" 404"#, true),                        // two parts, status ends the line
        (#""GET /a HTTP/1.1" 599 x"#, true),                        // nothing before the request is checked
        (#"h - - [t] "GET /a HTTP/1.1" 600 5"#, false),            // status out of range
        (#"h - - [t] "GET /a HTTP/1.1" 20 5"#, false),             // two digits
        (#"h - - [t] "GET /a HTTP/1.1" 2000 5"#, false),           // four digits
        (#"h - - [t] "GET /a HTTP/1.1"  200 5"#, false),           // two spaces
        (#"h - - [t] "GET" 200 5"#, false),                        // one part
        (#"h - - [t] "GET /a HTTP/1.1 extra" 200 5"#, false),      // four parts
        (#"h - - [t] GET /a HTTP/1.1 200 5"#, false),              // no quotes
        (#"h - - [t] "GET /a HTTP/1.1 200 5"#, false),             // no closing quote
    ])
    func aLineParsesExactlyWhenTheRuleSaysSo(line: String, parses: Bool) throws {
        let run = try MapDriver(AccessLog.self).run(lines: [line])
        #expect(run.emitted.count == (parses ? 2 : 0))
        #expect(run.counters.user["malformed lines"] == (parses ? nil : 1))
    }

    @Test func aURLIsCountedByteForByte() throws {
        let input = Array(#"h - - [t] "GET /caf"#.utf8) + [0xE9] + Array(#" HTTP/1.1" 200 1"#.utf8) + [0x0A]
            + Array(#"h - - [t] "GET /caf"#.utf8) + [0xE8] + Array(#" HTTP/1.1" 200 1"#.utf8) + [0x0A]
        let run = try MapDriver(AccessLog.self).run(input)
        #expect(run.emitted.filter { $0.key.first == "url" }.map(\.key.second.storage) == [Array("/caf".utf8) + [0xE9], Array("/caf".utf8) + [0xE8]])
    }

    @Test func theJobCountsAsACountHereDoes() async throws {
        let urls = ["/", "/index.html", "/a/b?c=d", "/ü"]
        let statuses = [200, 304, 404, 500]
        let requests: [(String, Int)] = (0..<500).map { i in
            let url: String = urls[i % 4 == 0 ? 0 : i % 3 + 1]
            return (url, statuses[i % 7 % 4])
        }
        var expected: [String: Int] = [:]
        for (url, status) in requests {
            expected["url\t\(url)", default: 0] += 1
            expected["status\t\(status)", default: 0] += 1
        }
        for combiner in [true, false] {
            let output = try await TestJob(AccessLog.self, reducers: 2, splitSize: 2048, combiner: combiner)
                .run(lines: requests.map { Self.line($0.0, $0.1) } + ["not a log line"])
            #expect(output.lines.sorted() == expected.map { "\($0.key)\t\($0.value)" }.sorted())
            #expect(output.counters.user["malformed lines"] == 1)
        }
    }
}
