import Foundation
import MapReduce
import TestSupport

/// Word count whose reducer, on the first attempt of reduce task 0, plants
/// something hostile where its own part file belongs (`--param plant=NAME`,
/// a `Planting`), pointing into `--param outside=DIR`; `--param output=DIR` is
/// the job's output directory. The commit must refuse it, and the task run again.
struct Tamper: Job {
    static let name = "tamper"
    static var combiner: Combiner<Int>? { Combiner(+=) }
    static var parameters: [JobParameter] {
        [JobParameter("plant", help: "what to plant"), JobParameter("outside", help: "where it points"),
         JobParameter("output", help: "the job's output directory")]
    }

    struct UnknownPlanting: Error, CustomStringConvertible {
        var name: String
        var description: String { "no planting is called \(self.name)" }
    }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            line.words.forEach { context.emit($0, 1) }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }

        mutating func cleanUp(context: inout ReduceContext) throws {
            guard context.attempt.task == 0, context.attempt.attempt == 1 else { return }
            let name = context.parameters["plant"] ?? ""
            guard let planting = Planting(rawValue: name) else { throw UnknownPlanting(name: name) }
            try planting.plant(
                partFile: ReduceTask.partFileName(0),
                in: ReduceTask.attemptOutputDirectory(for: context.attempt, in: context.parameters["output"] ?? ""),
                outside: context.parameters["outside"] ?? "")
        }
    }
}
