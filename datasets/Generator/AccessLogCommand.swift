import ArgumentParser

/// Web server access logs in the Combined Log Format.
struct AccessLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accesslog",
        abstract: "Web server access logs in the Combined Log Format.",
        discussion: """
            URLs are drawn by Zipf's law from --urls paths; status codes are mostly 200, \
            with 304, 404, 301 and 500 among them; about one line in two hundred is malformed \
            (cut short, or not a log line at all).
            """)

    @OptionGroup var options: GeneratorOptions

    @Option(help: "The number of distinct URL paths.")
    var urls = 5_000

    static let statuses: [(String, Int)] = [("200", 85), ("304", 5), ("404", 6), ("301", 2), ("500", 2)]
    static let sections = ["products", "blog", "docs", "images", "api", "search", "about"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    func validate() throws {
        guard self.urls >= 1 else { throw ValidationError("--urls must be at least 1") }
    }

    func run() throws {
        let paths = ZipfSampler(count: self.urls)
        var second = 0
        try self.options.writeLines { random in
            second += Int(random.next() % 3)
            let host = "10.\(random.next() % 256).\(random.next() % 256).\(random.next() % 256)"
            let rank = paths.sample(&random)
            let path = "/\(Self.sections[rank % Self.sections.count])/item-\(rank).html"
            var roll = Int(random.next() % 100)
            let status = Self.statuses.first { roll -= $0.1; return roll < 0 }!.0
            let method = random.next() % 10 == 0 ? "POST" : "GET"
            let time = String(
                format: "%02d/%@/2026:%02d:%02d:%02d +0000", 1 + second / 86_400 % 28, Self.months[second / 2_419_200 % 12],
                second / 3600 % 24, second / 60 % 60, second % 60)
            var line = "\(host) - - [\(time)] \"\(method) \(path) HTTP/1.1\" \(status) \(200 + random.next() % 50_000)"
            line += " \"https://example.com/\" \"Mozilla/5.0 (compatible; loadgen)\""
            switch random.next() % 200 {
            case 0: line = String(line.prefix(Int(random.next() % 40)))
            case 1: line = "this is not a log line"
            default: break
            }
            return Array((line + "\n").utf8)
        }
    }
}
