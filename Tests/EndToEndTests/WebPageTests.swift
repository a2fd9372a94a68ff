import Foundation
import MapReduce
import Testing
import TestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension EndToEnd {
    /// The master's web page and the report, loaded in headless Chromium and
    /// checked against the JSON API, `_job.json` and the input itself.
    @Suite struct WebPageTests {
        static let files = ["a", "b", "c", "d"]
        static let linesPerFile = 300

        @Test(.enabled(if: Chromium.executable != nil, "needs headless Chromium (Debian's chromium package, which .ci/run installs)"))
        func theLivePageAndTheReportShowWhatTheAPIAndTheJobJSONSay() async throws {
            let directory = try TemporaryDirectory()
            for name in Self.files {
                let text = (0..<Self.linesPerFile).map { "\(name) word\($0 % 7)\n" }.joined()
                try directory.write("input/\(name).txt", Array(text.utf8))
            }
            let gate = "\(directory.path)/gate"
            let out = "\(directory.path)/out"
            let run = try ChildProcess("testjobs", [
                // No backups: one of the gated map would take the waiting reduce's slot after 10 s, on a slow machine
                // while the page loads.
                "run", "--job", "paced", "--workers", "2", "--reducers", "2", "--split-size", "64K", "--http", "127.0.0.1:0",
                "--speculation", "off", "--param", "gate=\(gate)", "--param", "gated=b.txt", "--output", out, "\(directory.path)/input",
            ])
            let page = try await run.waitForStandardError(matching: "job page at (http://\\S+)")

            // The gated map holds one slot and a reduce waiting for its output the other: nothing moves until the gate opens.
            var live = try await Self.snapshot(page)
            let deadline = ContinuousClock.now + .seconds(60)
            while !(live.job.mapsDone == 3 && live.attempts.count(where: { $0.state == .running }) == 2) {
                #expect(ContinuousClock.now < deadline, "the job never settled: \(live.job)")
                guard ContinuousClock.now < deadline else { return }
                try await Task.sleep(for: .milliseconds(100))
                live = try await Self.snapshot(page)
            }
            let loaded = try await Chromium.load(page, profile: "\(directory.path)/profile", screenshot: "\(directory.path)/page.png")
            let after = try await Self.snapshot(page)
            #expect(Self.states(live.attempts) == Self.states(after.attempts), "the job moved while the page loaded")
            // Without a token, only requests for a loopback host are answered: no page elsewhere can rebind a name to it.
            #expect(try await Self.get("\(page)api/v1/job", host: "rebound.example:80").status == 403)
            #expect(try await Self.get("\(page)api/v1/job", host: "localhost").status == 200)

            let dom = DOM(loaded.dom)
            #expect(loaded.console.isEmpty, "\(loaded.console)")
            #expect(dom.pageErrors == "", "\(dom.pageErrors)")
            #expect(dom.bodyState == "running")
            #expect(dom.attemptRows == Self.states(after.attempts))
            #expect(dom.timelineBars == Self.states(after.attempts))
            #expect(dom.workerRows == after.workers.map(\.id).sorted())
            #expect(dom.counters == Self.counters(after.job.counters))
            #expect(loaded.dom.contains(#"<span id="combiner">custom</span>, partitioner <span id="partitioner">hash</span>"#))
            #expect(after.job.setup.parameters["gated"] == "b.txt" && after.job.setup.maps == Self.files.count)
            // What the input says, independently of the master: three maps done, each a file of `linesPerFile` lines.
            #expect(after.job.maps == Self.files.count)
            #expect(after.job.counters[.mapInputRecords] == Int64(3 * Self.linesPerFile))
            #expect(after.workers.count == 2)
            #expect(after.attempts.first { $0.state == .running && $0.phase == "map" }.map { $0.id } == "m-00001-a1")

            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            let result = try await run.wait(timeout: 120)
            #expect(result.status == 0, "\(result.standardError)")

            let report = try JSONDecoder().decode(JobReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/_job.json")))
            let html = try String(contentsOfFile: "\(out)/_report.html", encoding: .utf8)
            #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("https://"), "the report loads something")
            let saved = try await Chromium.load(
                "file://\(out)/_report.html", profile: "\(directory.path)/profile", screenshot: "\(directory.path)/report.png")
            let reportDOM = DOM(saved.dom)
            #expect(saved.console.isEmpty, "\(saved.console)")
            #expect(reportDOM.pageErrors == "")
            #expect(reportDOM.bodyState == "succeeded")
            #expect(reportDOM.attemptRows == Self.states(report.attempts))
            #expect(reportDOM.timelineBars == Self.states(report.attempts))
            #expect(reportDOM.workerRows == report.workers.map(\.id).sorted())
            #expect(reportDOM.counters == Self.counters(report.counters))
            #expect(report.setup == after.job.setup)
            #expect(saved.dom.contains(#"<span id="combiner">custom</span>"#))
            #expect(report.counters[.mapInputRecords] == Int64(Self.files.count * Self.linesPerFile))
            #expect(report.attempts.count(where: { $0.state == .succeeded }) == Self.files.count + 2)
            for name in ["page.png", "report.png"] {
                let size = (try FileManager.default.attributesOfItem(atPath: "\(directory.path)/\(name)")[.size] as? Int) ?? 0
                #expect(size > 10_000, "\(name) is \(size) bytes")
            }
        }

        @Test(.enabled(if: Chromium.executable != nil, "needs headless Chromium (Debian's chromium package, which .ci/run installs)"))
        func whatPeersSaidIsShownAsTextNeverAsMarkup() async throws {
            let directory = try TemporaryDirectory()
            let hostile = #"<img src=x onerror="document.body.dataset.pwned=1"></script><script>document.body.dataset.pwned=2</script>"#
            var counters = Counters()
            counters.increment(hostile, by: 3)
            let attempts = [
                JobReport.Attempt(
                    id: AttemptID(.map, task: 0, attempt: 1), worker: hostile, startSeconds: 0, durationSeconds: 1, state: .failed,
                    error: hostile),
                JobReport.Attempt(
                    id: AttemptID(.map, task: 0, attempt: 2), worker: "w-2", startSeconds: 1, durationSeconds: 1, state: .succeeded,
                    bytes: (10, 20)),
            ]
            let report = JobReport(
                job: "hostile", maps: 1, reduces: 0, elapsedSeconds: 2, counters: counters, attempts: attempts, inputs: [hostile],
                output: hostile)
            let path = try directory.write("_report.html", try report.documents().first { $0.name == "_report.html" }!.bytes)
            let loaded = try await Chromium.load("file://\(path)", profile: "\(directory.path)/profile")
            let dom = DOM(loaded.dom)
            #expect(loaded.console.isEmpty, "\(loaded.console)")
            #expect(dom.pageErrors == "")
            #expect(!loaded.dom.contains("data-pwned"), "a peer's text ran as script")
            #expect(!loaded.dom.contains("<img"), "a peer's text became an element")
            #expect(dom.failures == ["m-00000-a1 on \(Self.escaped(hostile)): \(Self.escaped(hostile))"])
            #expect(dom.attemptRows == ["m-00000-a1 failed", "m-00000-a2 succeeded"])
            #expect(dom.timelineBars == ["m-00000-a1 failed", "m-00000-a2 succeeded"])
        }

        /// `text` as the DOM's serialization escapes it in an element's text.
        static func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }

        @Test func offLoopbackThePageAndTheMetricsNeedTheToken() async throws {
            let directory = try TemporaryDirectory()
            try directory.write("input/a.txt", Array("one two two\n".utf8))
            let gate = "\(directory.path)/gate"
            let run = try ChildProcess("testjobs", [
                "run", "--job", "paced", "--workers", "1", "--http", "0.0.0.0:0", "--param", "gate=\(gate)", "--param", "gated=a.txt",
                "--output", "\(directory.path)/out", "\(directory.path)/input",
            ])
            let page = try await run.waitForStandardError(matching: "job page at (http://\\S+)")
            let address = try #require(URLComponents(string: page))
            let token = try #require(address.queryItems?.first { $0.name == "token" }?.value)
            #expect(token.count >= 32)
            let base = "http://127.0.0.1:\(address.port ?? 0)"
            try await eventually("the gated map to start") { FileManager.default.fileExists(atPath: "\(gate).waiting") }

            #expect(try await Self.get("\(base)/api/v1/job").status == 401)
            #expect(try await Self.get("\(base)/api/v1/job?token=\(String(token.reversed()))").status == 401)
            #expect(try await Self.get("\(base)/metrics").status == 401)
            let job = try await Self.get("\(base)/api/v1/job?token=\(token)")
            #expect(job.status == 200)
            let overview = try JSONDecoder().decode(JobSnapshot.Overview.self, from: job.body)
            #expect(overview.state == .running && overview.maps == 1 && overview.mapsDone == 0)
            let running = try await Self.get("\(base)/api/v1/attempts?state=running&token=\(token)")
            let attempts = try JSONDecoder().decode([JobReport.Attempt].self, from: running.body)
            #expect(attempts.map(\.id) == ["m-00000-a1"])
            #expect(try await Self.get("\(base)/api/v1/attempts?state=succeeded&token=\(token)").body == Data("[]".utf8))
            #expect(try await Self.get("\(base)/api/v1/attempts?state=finished&token=\(token)").status == 400)
            let metrics = try await Self.get("\(base)/metrics", bearer: token)
            #expect(metrics.status == 200)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("mapreduce_workers_alive 1"), "\(text)")
            #expect(text.contains("mapreduce_tasks{phase=\"map\",state=\"running\"} 1"), "\(text)")

            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            let result = try await run.wait(timeout: 60)
            #expect(result.status == 0, "\(result.standardError)")
        }

        @Test func aWorkerServesItsOwnMetrics() async throws {
            let directory = try TemporaryDirectory()
            try directory.write("input/a.txt", Array("one two two\n".utf8))
            try directory.write("input/b.txt", Array("three\n".utf8))
            let gate = "\(directory.path)/gate"
            let (master, startWorker) = try await FaultToleranceTests.startMaster(
                directory, ["--reducers", "1", "--param", "gate=\(gate)", "--param", "gated=b.txt", "--param", "reduce-ms=4000"])
            let worker = try startWorker(["--metrics", "127.0.0.1:0"])
            let address = try await worker.waitForStandardError(matching: "metrics at (http://\\S+)")
            // One slot: the map of a.txt has run, the map of b.txt waits at the gate.
            try await eventually("the gated map to start") { FileManager.default.fileExists(atPath: "\(gate).waiting") }
            let before = String(decoding: try await Self.get(address).body, as: UTF8.self)
            #expect(before.contains("mapreduce_worker_attempts_running 1"), "\(before)")
            #expect(before.contains(#"mapreduce_worker_attempts_ended_total{phase="map",outcome="succeeded"} 1"#), "\(before)")
            #expect(before.contains("mapreduce_worker_shuffle_fetched_bytes_total 0"), "\(before)")

            // The reduce fetches both outputs from this very worker, then sleeps in its setUp.
            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            // The server counts a segment once it has sent it, the reducer once it has it: wait for both to agree.
            var after = ""
            let deadline = ContinuousClock.now + .seconds(30)
            repeat {
                after = String(decoding: try await Self.get(address).body, as: UTF8.self)
                let served = Self.value(of: "mapreduce_worker_shuffle_served_bytes_total", in: after) ?? 0
                let fetched = Self.value(of: "mapreduce_worker_shuffle_fetched_bytes_total", in: after) ?? 0
                if fetched > 0, served == fetched { break }
                try await Task.sleep(for: .milliseconds(50))
            } while ContinuousClock.now < deadline
            let served = try #require(Self.value(of: "mapreduce_worker_shuffle_served_bytes_total", in: after))
            let fetched = try #require(Self.value(of: "mapreduce_worker_shuffle_fetched_bytes_total", in: after))
            #expect(served > 0 && served == fetched, "\(after)")
            #expect(after.contains(#"mapreduce_worker_attempts_ended_total{phase="map",outcome="succeeded"} 2"#), "\(after)")
            #expect(try await master.wait(timeout: 60).status == 0)
            #expect(try await worker.wait(timeout: 30).status == 0)
        }

        /// The value of an unlabelled metric in Prometheus's text format.
        static func value(of metric: String, in text: String) -> Int64? {
            text.split(separator: "\n").first { $0.hasPrefix("\(metric) ") }.flatMap { Int64($0.split(separator: " ")[1]) }
        }

        /// The attempts' ids and states, in id order.
        static func states(_ attempts: [JobReport.Attempt]) -> [String] {
            attempts.map { "\($0.id) \($0.state.rawValue)" }.sorted()
        }

        static func counters(_ counters: Counters) -> [String] {
            (counters.framework.map { "framework \($0.key)=\($0.value)" } + counters.user.map { "job \($0.key)=\($0.value)" }
                + counters.amounts.map { "job \($0.key)=\($0.value)" }).sorted()
        }

        static func snapshot(_ page: String) async throws -> JobSnapshot {
            let decoder = JSONDecoder()
            return JobSnapshot(
                job: try decoder.decode(JobSnapshot.Overview.self, from: try await self.get("\(page)api/v1/job").body),
                workers: try decoder.decode([JobSnapshot.Worker].self, from: try await self.get("\(page)api/v1/workers").body),
                attempts: try decoder.decode([JobReport.Attempt].self, from: try await self.get("\(page)api/v1/attempts").body))
        }

        static func get(_ address: String, bearer: String? = nil, host: String? = nil) async throws -> (status: Int, body: Data) {
            var request = URLRequest(url: try #require(URL(string: address)))
            if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
            if let host { request.setValue(host, forHTTPHeaderField: "Host") }
            let (body, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
        }
    }
}

/// What the job page's DOM shows, read from Chromium's dump of it.
private struct DOM {
    let html: String

    init(_ html: String) {
        self.html = html
    }

    var attemptRows: [String] { self.matches(#"<tr data-attempt="([^"]+)" data-state="([^"]+)">"#).sorted() }
    var timelineBars: [String] { self.matches(#"<rect class="attempt-bar" data-attempt="([^"]+)" data-state="([^"]+)""#).sorted() }
    var workerRows: [String] { self.matches(#"<tr data-worker="([^"]+)">"#).sorted() }
    var counters: [String] {
        self.matches(#"<tr data-counter="([^"]+)" data-group="[^"]+"><td class="muted">([^<]+)</td><td>[^<]*</td><td class="num">(-?\d+)</td>"#)
            .map { match in
                let parts = match.split(separator: " ", omittingEmptySubsequences: false)
                let group = parts[parts.count - 2] == "framework" ? "framework" : "job"
                return "\(group) \(parts.dropLast(2).joined(separator: " "))=\(parts.last!)"
            }
            .sorted()
    }
    var failures: [String] { self.matches(#"<ul id="failure-list">(.*?)</ul>"#).first.map(Self.listItems) ?? [] }
    var pageErrors: String { self.matches(#"<div id="page-errors">([^<]*)</div>"#).first ?? "(missing)" }
    var bodyState: String { self.matches(#"<body[^>]* data-state="([^"]+)""#).first ?? "(missing)" }

    private static func listItems(_ html: String) -> [String] {
        DOM(html).matches(#"<li>(.*?)</li>"#)
    }

    /// The capture groups of every match of `pattern`, joined by spaces.
    private func matches(_ pattern: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: self.html, range: NSRange(self.html.startIndex..., in: self.html)).map { match in
            (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: self.html).map { String(self.html[$0]) } }
                .joined(separator: " ")
        }
    }
}
