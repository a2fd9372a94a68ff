import ArgumentParser

/// A web-link graph: one line per page, `source<TAB>target target ...`.
struct LinksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "A web-link graph, one page a line: source<TAB>target target ...",
        discussion: """
            Pages are named page-0 ... page-<N-1> (--pages). Each page links to up to 12 \
            others, chosen by Zipf's law so that a few pages are linked to by many; a page \
            never links to itself, and about one in twenty links to nothing.
            """)

    @OptionGroup var options: GeneratorOptions

    @Option(help: "The number of pages (lines), at most; --size may cut the graph shorter.")
    var pages = 10_000

    func validate() throws {
        guard self.pages >= 2 else { throw ValidationError("--pages must be at least 2") }
    }

    func run() throws {
        let popularity = ZipfSampler(count: self.pages)
        // Ranks are shuffled onto pages so that popular pages are spread out.
        var shuffler = SplitMix64(seed: ~self.options.seed)
        let pageOfRank = Array(0..<self.pages).shuffled(using: &shuffler)
        var page = 0
        try self.options.writeLines { random in
            guard page < self.pages else { return [] }
            defer { page += 1 }
            var targets: [Int] = []
            let degree = random.next() % 20 == 0 ? 0 : 1 + Int(random.next() % 12)
            while targets.count < degree {
                let target = pageOfRank[popularity.sample(&random)]
                if target != page, !targets.contains(target) { targets.append(target) }
            }
            return Array("page-\(page)\t\(targets.map { "page-\($0)" }.joined(separator: " "))\n".utf8)
        }
    }
}
