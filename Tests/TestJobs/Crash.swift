import Foundation
import MapReduce

/// The crash workload of MIT 6.824's MapReduce lab: every map and reduce
/// call has a `crash-percent` chance (33) to end its process at once with
/// `_exit(1)`, and a `sleep-percent` chance (33) to sleep up to
/// `max-sleep-ms` (10 s) first. With no crashes and sleeps half the time, it
/// runs as the crash workload would if crashed calls simply ran again.
/// Each file is one record; the output is the same with or without crashes:
///
/// - `a`: the input paths, sorted and joined by spaces
/// - `b`: the lengths of the paths, likewise
/// - `c`: the lengths of the contents, likewise
/// - `d`: `xyzzy` once per file, likewise
struct Crash: Job {
    static let name = "crash"
    static var parameters: [JobParameter] {
        [
            JobParameter("crash-percent", default: "33"), JobParameter("sleep-percent", default: "33"),
            JobParameter("max-sleep-ms", default: "10000"),
        ]
    }

    /// Crashes or sleeps, or neither, as the lab's `maybeCrash` does.
    static func maybeCrash(_ parameters: JobParameters) throws {
        let crashPercent = try parameters.int("crash-percent") ?? 33
        let sleepPercent = try parameters.int("sleep-percent") ?? 33
        let maxSleep = try parameters.int("max-sleep-ms") ?? 10_000
        let roll = Int.random(in: 0..<100)
        if roll < crashPercent {
            _exit(1)
        } else if roll < crashPercent + sleepPercent, maxSleep > 0 {
            usleep(UInt32(Int.random(in: 0..<maxSleep)) * 1000)
        }
    }

    struct Map: Mapper {
        typealias Input = WholeFileInput

        mutating func map(_ file: WholeFile, context: inout MapContext<String, String>) throws {
            try Crash.maybeCrash(context.parameters)
            context.emit("a", file.path)
            context.emit("b", String(file.path.utf8.count))
            context.emit("c", String(file.contents.count))
            context.emit("d", "xyzzy")
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<String>, context: inout ReduceContext) throws {
            try Crash.maybeCrash(context.parameters)
            context.write(key, values.sorted().joined(separator: " "))
        }
    }
}
