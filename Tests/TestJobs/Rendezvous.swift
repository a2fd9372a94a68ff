import Foundation
import MapReduce

/// Proves that tasks run at the same time: each map task (and each reduce
/// task) announces itself with a file in `--param dir=DIR` and waits, up to
/// 30 seconds, until `--param tasks=N` tasks of its kind have announced
/// themselves; alone, it fails. Output: each task's process id.
struct Rendezvous: Job {
    static let name = "rendezvous"
    static var parameters: [JobParameter] {
        [JobParameter("dir", help: "a directory every process can see"), JobParameter("tasks", help: "tasks that must meet")]
    }

    struct NobodyCame: Error, CustomStringConvertible {
        var description: String
    }

    static func meet(_ kind: String, parameters: JobParameters) throws {
        let directory = parameters["dir"] ?? ""
        let expected = try parameters.int("tasks") ?? 2
        let me = "\(directory)/\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try Data().write(to: URL(fileURLWithPath: me))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let present = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasPrefix(kind + "-") }
            if (present?.count ?? 0) >= expected { return }
            usleep(10_000)
        }
        throw NobodyCame(description: "no other \(kind) task ran at the same time")
    }

    struct Map: Mapper {
        mutating func setUp(context: inout MapContext<String, Int>) throws {
            try Rendezvous.meet("map", parameters: context.parameters)
            context.emit("map \(ProcessInfo.processInfo.processIdentifier)", 1)
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {}
    }

    struct Reduce: Reducer {
        mutating func setUp(context: inout ReduceContext) throws {
            try Rendezvous.meet("reduce", parameters: context.parameters)
            context.write("reduce \(ProcessInfo.processInfo.processIdentifier)", 1)
        }

        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }
    }
}
