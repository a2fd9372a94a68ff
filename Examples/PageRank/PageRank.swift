import MapReduce

/// PageRank over a link graph, as a chain of jobs: one per iteration, each
/// reading the one before's output, on workers that stay up between them.
///
/// Input lines are `page<TAB>target target ...` (see `datagen links`). Each
/// iteration computes, for every page p (sources and targets alike),
/// `rank(p) = (1 - d) + d * sum(rank(q) / outlinks(q))` over the pages q that
/// link to p, starting from rank 1 (the formula of Brin and Page's paper,
/// whose ranks sum to the number of pages when none is a dead end). The
/// chain stops after `--param iterations=N` (10) or once the ranks changed
/// by less than `--param threshold=T` (0.001) in total. Output lines are
/// `page<TAB>rank<TAB>target target ...`.
///
/// A first job reads the graph into pages (see `Graph` for how lines are
/// read); iterations pass pages to each other as typed records (`Page`, in
/// a key-value file), never as text; a last job writes the lines. Page
/// names are bytes, kept exactly.
struct PageRank: JobChain {
    struct Parameters: ParameterSet {
        @Parameter(help: "the most iterations to run", in: 1...10_000) var iterations = 10
        @Parameter(help: "stop once the ranks change less than this in total", atLeast: 0) var threshold = 0.001
        @Parameter(help: "the damping factor d", in: 0...1) var damping = 0.85
    }

    static var jobs: [AnyJob] { [AnyJob(Graph.self), AnyJob(Iteration.self), AnyJob(RankLines.self)] }

    static func run(_ runner: any ChainRunner) async throws -> JobReport {
        let parameters = try Parameters(runner.parameters)
        let damping = "\(parameters.damping)"
        let output = try ChainOutput(runner.configuration)
        do {
            // The graph's lines become pages at rank 1; each iteration reads the pages the one before wrote.
            var inputs = [output.iteration(0)]
            _ = try await runner.run(AnyJob(Graph.self), inputs: runner.configuration.inputs, output: inputs[0], parameters: [:])
            for number in 1...parameters.iterations {
                let directory = output.iteration(number)
                let report = try await runner.run(AnyJob(Iteration.self), inputs: inputs, output: directory, parameters: ["damping": damping])
                inputs = [directory]
                let change = report.counters.amounts[Iteration.changeCounter] ?? 0
                if change < parameters.threshold { break }
            }
            let directory = output.iteration(parameters.iterations + 1)
            let report = try await runner.run(AnyJob(RankLines.self), inputs: inputs, output: directory, parameters: [:])
            try output.publish(directory, report: report)
            return report
        } catch {
            output.abort()
            throw error
        }
    }
}

/// A page between iterations: its rank and the pages it links to.
struct Page: ValueCodable, Equatable {
    var rank: Double
    var targets: [Bytes]

    func encodeValue(to writer: inout ByteWriter) {
        self.rank.encodeKeyComponent(to: &writer)
        for target in self.targets { target.encodeKeyComponent(to: &writer) }
    }

    static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Page {
        var reader = ByteReader(bytes)
        var page = Page(rank: try Double.decodeKeyComponent(from: &reader), targets: [])
        while !reader.isAtEnd { page.targets.append(try Bytes.decodeKeyComponent(from: &reader)) }
        return page
    }
}

/// One PageRank iteration over the pages the one before wrote.
struct Iteration: Job {
    static let name = "pagerank-iteration"
    struct Parameters: ParameterSet {
        @Parameter(help: "the damping factor d", in: 0...1) var damping = 0.85
    }
    /// The total change of the ranks.
    static let changeCounter = "rank change"
    static var outputFormat: OutputFormat { .keyValue(Bytes.self, Page.self) }

    /// What a page hears: itself (its links and old rank), or a share of another page's rank.
    enum Message: ValueCodable, Equatable {
        case page(Page)
        case share(Double)

        func encodeValue(to writer: inout ByteWriter) {
            switch self {
            case .page(let page):
                writer.append(0)
                page.encodeValue(to: &writer)
            case .share(let share):
                writer.append(1)
                share.encodeKeyComponent(to: &writer)
            }
        }

        static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Message {
            let rest = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
            switch bytes.first {
            case 0: return .page(try Page.decodeValue(rest))
            case 1: return .share(try Double.decodeKey(rest))
            default: throw .invalid("not a PageRank message")
            }
        }
    }

    struct Map: Mapper {
        typealias Input = KeyValueInput<Bytes, Page>

        mutating func map(_ record: KeyValueRecord<Bytes, Page>, context: inout MapContext<Bytes, Message>) {
            Self.send(record.key, record.value, context: &context)
        }

        /// Sends `page` itself and each of its targets a share of its rank.
        static func send(_ name: Bytes, _ page: Page, context: inout MapContext<Bytes, Message>) {
            context.emit(name, .page(page))
            for target in page.targets { context.emit(target, .share(page.rank / Double(page.targets.count))) }
        }
    }

    struct Reduce: Reducer {
        var damping = 0.85

        mutating func setUp(context: inout ReduceContext) throws {
            self.damping = try Parameters(context.parameters).damping
        }

        mutating func reduce(key: Bytes, values: ReduceValues<Message>, context: inout ReduceContext) {
            // A page no line names as a source links nowhere and starts from rank 1.
            var page = Page(rank: 1, targets: [])
            var shares: [Double] = []
            for message in values {
                switch message {
                case .page(let named): page = named
                case .share(let share): shares.append(share)
                }
            }
            // Summed in a fixed order, so that the result does not depend on the order values arrive in.
            let rank = (1 - self.damping) + self.damping * shares.sorted().reduce(0, +)
            context.counters.add(abs(rank - page.rank), to: Iteration.changeCounter)
            context.write(record: key, Page(rank: rank, targets: page.targets))
        }
    }
}

/// The graph: each page's targets from its lines `page<TAB>target target ...`, at rank 1.
///
/// A page on several lines links to the targets of all of them, in the order of
/// their files' paths (by bytes) and then of the lines in each file;
/// a target named twice gets two shares. Every page that is only a target joins
/// the graph with no links. A line without exactly one tab, or with an empty
/// page name, is counted in `malformed lines`.
struct Graph: Job {
    static let name = "pagerank-graph"
    static var outputFormat: OutputFormat { Iteration.outputFormat }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<Bytes, KeyPair<KeyPair<Bytes, Int64>, Bytes>>) {
            let fields = line.fields()
            guard fields.count == 2, !fields[0].isEmpty else { return context.counters.increment("malformed lines") }
            // With where the line is (file, offset), so that a page's lines are merged in input order.
            context.emit(fields[0], KeyPair(KeyPair(context.inputPathBytes, line.offset), fields[1]))
            for target in fields[1].split(separator: UInt8(ascii: " "), omittingEmpty: true) {
                context.emit(target, KeyPair(KeyPair(Bytes([]), -1), Bytes([])))
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: Bytes, values: ReduceValues<KeyPair<KeyPair<Bytes, Int64>, Bytes>>, context: inout ReduceContext) {
            let lines = values.filter { $0.first.second >= 0 }.sorted { $0.first < $1.first }
            let targets = lines.flatMap { $0.second.split(separator: UInt8(ascii: " "), omittingEmpty: true) }
            context.write(record: key, Page(rank: 1, targets: targets))
        }
    }
}

/// The chain's output: the last iteration's pages as lines `page<TAB>rank<TAB>target target ...`.
struct RankLines: Job {
    static let name = "pagerank-output"

    struct Map: Mapper {
        typealias Input = KeyValueInput<Bytes, Page>

        mutating func map(_ record: KeyValueRecord<Bytes, Page>, context: inout MapContext<Bytes, Page>) {
            context.emit(record.key, record.value)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: Bytes, values: ReduceValues<Page>, context: inout ReduceContext) {
            for page in values { context.write(key, KeyPair(page.rank, page.targets.joined(separator: UInt8(ascii: " ")))) }
        }
    }
}
