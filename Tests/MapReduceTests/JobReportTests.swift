import Foundation
import Testing

@testable import MapReduce

@Suite struct JobReportTests {
    static func report(attempts: Int, workers: Int) -> JobReport {
        var counters = Counters()
        counters.add(.mapInputRecords, 12)
        counters.increment("quote \" and \\ and é", by: -3)
        let attempts = (0..<attempts).map { i in
            JobReport.Attempt(
                id: AttemptID(i % 2 == 0 ? .map : .reduce, task: i, attempt: 1), worker: "w-\(i % 3)", startSeconds: Double(i) / 7,
                durationSeconds: 0.5, state: i % 5 == 0 ? .failed : .succeeded, backup: i % 7 == 0,
                error: i % 5 == 0 ? "line one\nline \"two\" </script>" : nil, bytes: i % 5 == 0 ? nil : (Int64(i), Int64(i * 2)))
        }
        let workerViews = (0..<workers).map { i in
            JobSnapshot.Worker(
                id: "w-\(i)", host: "host\(i)", processID: Int32(i), shuffle: "127.0.0.1:\(4000 + i)", slots: 2,
                state: i == 0 ? .lost : .alive, reason: i == 0 ? "connection closed" : nil, running: [], succeeded: i, failed: 0,
                secondsSinceHeard: i == 0 ? nil : 0.25)
        }
        return JobReport(
            job: "job", maps: 3, reduces: 2, elapsedSeconds: 1.5, counters: counters, attempts: attempts, inputs: ["in/a", "x=y"],
            output: "out", workers: workerViews)
    }

    @Test(arguments: [(0, 0), (1, 1), (40, 3)])
    func theJSONDecodesAsTheReportItWasMadeOf(attempts: Int, workers: Int) throws {
        let report = Self.report(attempts: attempts, workers: workers)
        let json = try report.json()
        #expect(try JSONDecoder().decode(JobReport.self, from: Data(json)) == report)
        // One attempt a line, and the file ends with a newline.
        let lines = String(decoding: json, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count(where: { $0.hasPrefix("  {\"backup\"") }) == attempts)
        #expect(json.last == UInt8(ascii: "\n"))
    }

    @Test func theReportPageHoldsTheJSONWithNoWayOutOfItsScriptElement() throws {
        let report = Self.report(attempts: 6, workers: 1)
        let page = String(decoding: try report.documents().first { $0.name == "_report.html" }!.bytes, as: UTF8.self)
        #expect(!page.contains("</script>\"") && page.components(separatedBy: "</script>").count == 3)
        #expect(page.contains(#"line \"two\" \u003c\/script>"#))
    }
}

@Suite struct CounterAmountsTests {
    @Test func amountsSumApartFromCounts() throws {
        var counters = Counters()
        counters.increment("lines", by: 2)
        counters.add(0.25, to: "change")
        var other = Counters()
        other.add(0.5, to: "change")
        other.increment("lines")
        counters.merge(other)
        #expect(counters.amounts == ["change": 0.75] && counters.user == ["lines": 3])
        #expect(try JSONDecoder().decode(Counters.self, from: JSONEncoder().encode(counters)) == counters)
        try counters.checkAmounts()
        counters.add(.infinity, to: "change")
        #expect(throws: JobError("the counter change holds inf; amounts must be finite")) { try counters.checkAmounts() }
    }
}
