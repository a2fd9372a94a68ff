import Foundation
import MapReduce

/// Word count with knobs that make tasks slow, for tests that need to act
/// while a job runs: kill workers, freeze them, corrupt their files.
///
/// - `map-ms`, `reduce-ms`: every map or reduce task sleeps this long first.
/// - `gate`, `gated`: the map task of the input file named `gated` makes the file `gate.waiting`
///   and waits until the file `gate` exists.
/// - `straggler`, `straggle-ms`: the first attempt of the map task of the file named `straggler` sleeps `straggle-ms`.
/// - `record-ms`, `value-ms`: the mapper sleeps this long on every record, the reducer on every value.
/// - `crash-first-attempts`: when `true`, the first attempt of every map task ends its worker process.
struct Paced: Job {
    static let name = "paced"
    static var combiner: Combiner<Int>? { Combiner(+=) }
    static var parameters: [JobParameter] {
        [
            JobParameter("map-ms", default: "0"), JobParameter("reduce-ms", default: "0"),
            JobParameter("gate", default: ""), JobParameter("gated", default: ""),
            JobParameter("straggler", default: ""), JobParameter("straggle-ms", default: "0"),
            JobParameter("record-ms", default: "0"), JobParameter("value-ms", default: "0"),
            JobParameter("crash-first-attempts", default: "false"),
        ]
    }

    static func sleep(milliseconds: Int) {
        if milliseconds > 0 { usleep(UInt32(milliseconds) * 1000) }
    }

    struct GateNeverOpened: Error, CustomStringConvertible {
        var description: String { "the gate file never appeared" }
    }

    struct Map: Mapper {
        var recordMilliseconds = 0

        mutating func setUp(context: inout MapContext<String, Int>) throws {
            let parameters = context.parameters
            self.recordMilliseconds = try parameters.int("record-ms") ?? 0
            let file = (context.inputPath as NSString).lastPathComponent
            Paced.sleep(milliseconds: try parameters.int("map-ms") ?? 0)
            if parameters["crash-first-attempts"] == "true", context.attempt.attempt == 1 { _exit(1) }
            if file == parameters["straggler"], context.attempt.attempt == 1 {
                Paced.sleep(milliseconds: try parameters.int("straggle-ms") ?? 0)
            }
            if file == parameters["gated"], let gate = parameters["gate"] {
                try Data().write(to: URL(fileURLWithPath: "\(gate).waiting"))
                let deadline = Date().addingTimeInterval(60)
                while !FileManager.default.fileExists(atPath: gate) {
                    guard Date() < deadline else { throw GateNeverOpened() }
                    usleep(10_000)
                }
            }
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            Paced.sleep(milliseconds: self.recordMilliseconds)
            line.words.forEach { context.emit($0, 1) }
        }
    }

    struct Reduce: Reducer {
        var valueMilliseconds = 0

        mutating func setUp(context: inout ReduceContext) throws {
            Paced.sleep(milliseconds: try context.parameters.int("reduce-ms") ?? 0)
            self.valueMilliseconds = try context.parameters.int("value-ms") ?? 0
        }

        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            let milliseconds = self.valueMilliseconds
            context.write(key, values.reduce(0) { sum, value in
                Paced.sleep(milliseconds: milliseconds)
                return sum + value
            })
        }
    }
}
