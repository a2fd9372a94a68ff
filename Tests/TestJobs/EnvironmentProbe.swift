import Foundation
import MapReduce

/// Counts, per map task, whether the secret's environment variable can be seen
/// by user code (through `getenv` and `ProcessInfo`) and by a child process it
/// starts (`env`); and, as a control, whether that child sees `MAPREDUCE_PROBE`,
/// a variable the test sets for the whole run. Output lines: `what<TAB>maps that saw it`.
struct EnvironmentProbe: Job {
    static let name = "environment-probe"

    struct Map: Mapper {
        mutating func setUp(context: inout MapContext<String, Int>) throws {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let pipe = Pipe()
            child.standardOutput = pipe
            try child.run()
            let seen = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            let lines = seen.split(separator: "\n")
            context.emit("secret in getenv", getenv("MAPREDUCE_SECRET") == nil ? 0 : 1)
            context.emit("secret in ProcessInfo", ProcessInfo.processInfo.environment["MAPREDUCE_SECRET"] == nil ? 0 : 1)
            context.emit("secret in a child", lines.contains { $0.hasPrefix("MAPREDUCE_SECRET=") } ? 1 : 0)
            context.emit("probe in a child", lines.contains { $0.hasPrefix("MAPREDUCE_PROBE=") } ? 1 : 0)
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {}
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }
    }
}
