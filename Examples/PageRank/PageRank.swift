import Foundation
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
struct PageRank: JobChain {
    struct Parameters: ParameterSet {
        @Parameter(help: "the most iterations to run", in: 1...10_000) var iterations = 10
        @Parameter(help: "stop once the ranks change less than this in total", atLeast: 0) var threshold = 0.001
        @Parameter(help: "the damping factor d", in: 0...1) var damping = 0.85
    }

    static var jobs: [AnyJob] { [AnyJob(Iteration.self)] }

    static func run(_ runner: any ChainRunner) async throws -> JobReport {
        let parameters = try Parameters(runner.parameters)
        let damping = "\(parameters.damping)"
        let output = try ChainOutput(runner.configuration)
        do {
            var inputs = runner.configuration.inputs
            var last: (directory: String, report: JobReport)?
            for number in 1...parameters.iterations {
                let directory = output.iteration(number)
                let report = try await runner.run(
                    AnyJob(Iteration.self), inputs: inputs, output: directory, parameters: ["damping": damping])
                last = (directory, report)
                inputs = [directory]
                let change = report.counters.amounts[Iteration.changeCounter] ?? 0
                if change < parameters.threshold { break }
            }
            try output.publish(last!.directory, report: last!.report)
            return last!.report
        } catch {
            output.abort()
            throw error
        }
    }
}

/// One PageRank iteration.
struct Iteration: Job {
    static let name = "pagerank-iteration"
    struct Parameters: ParameterSet {
        @Parameter(help: "the damping factor d", in: 0...1) var damping = 0.85
    }
    /// The total change of the ranks.
    static let changeCounter = "rank change"

    /// What a page hears about itself: its links and old rank, or a share of another page's rank.
    struct Message: ValueCodable {
        enum Kind: UInt8 { case links = 0, oldRank, share }
        var kind: Kind
        var rank = 0.0
        var links = ""

        func encodeValue(to writer: inout ByteWriter) {
            writer.append(self.kind.rawValue)
            self.rank.encodeKey(to: &writer)
            self.links.writeText(to: &writer)
        }

        static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Message {
            guard bytes.count >= 9, let kind = Kind(rawValue: bytes[0]),
                let links = String(validating: bytes[9...], as: UTF8.self)
            else { throw .invalid("not a PageRank message") }
            return Message(kind: kind, rank: try Double.decodeKey(UnsafeRawBufferPointer(rebasing: bytes[1..<9])), links: links)
        }
    }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Message>) {
            // A line of the link graph (`page<TAB>targets`) or of an earlier iteration (`page<TAB>rank<TAB>targets`).
            let fields = line.string.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 3, !fields[0].isEmpty,
                let rank = fields.count == 3 ? Double(fields[1]) : 1.0, rank.isFinite, rank >= 0
            else { return context.counters.increment("malformed lines") }
            let page = String(fields[0])
            let targets = fields.last!.split(separator: " ")
            context.emit(page, Message(kind: .links, links: targets.joined(separator: " ")))
            context.emit(page, Message(kind: .oldRank, rank: rank))
            for target in targets {
                context.emit(String(target), Message(kind: .share, rank: rank / Double(targets.count)))
            }
        }
    }

    struct Reduce: Reducer {
        var damping = 0.85

        mutating func setUp(context: inout ReduceContext) throws {
            self.damping = try Parameters(context.parameters).damping
        }

        mutating func reduce(key: String, values: ReduceValues<Message>, context: inout ReduceContext) {
            let damping = self.damping
            var shares: [Double] = []
            var links = ""
            var oldRank = 1.0
            for message in values {
                switch message.kind {
                case .links: links = message.links
                case .oldRank: oldRank = message.rank
                case .share: shares.append(message.rank)
                }
            }
            // Summed in a fixed order, so that the result does not depend on the order values arrive in.
            let rank = (1 - damping) + damping * shares.sorted().reduce(0, +)
            context.counters.add(abs(rank - oldRank), to: Iteration.changeCounter)
            context.write(key, "\(rank)\t\(links)")
        }
    }
}
