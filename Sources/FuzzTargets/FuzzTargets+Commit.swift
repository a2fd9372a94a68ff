import Foundation
import MapReduce

extension FuzzTargets {
    /// What the fuzz input has made of one reduce attempt's directory, and of the part file in it.
    private enum Planted: Equatable {
        case nothing
        case partFile(String)
        case symbolicLinkToOutside
        case hardLinkToOutside
        case fifo
        case directory
        /// The attempt's directory itself is a link to a directory outside.
        case linkedDirectory
    }

    /// The output committer's walk: the input, two bytes at a time (what, which),
    /// builds a tree in `_temporary` (part files, links to files and directories
    /// outside, hard links, FIFOs, directories, junk) and says which attempts
    /// report success. Each task commit must take exactly the regular files, the
    /// job commit must publish what was taken, and nothing outside the output
    /// directory may change.
    public static func commit(_ bytes: UnsafeRawBufferPointer) {
        let root = "\(NSTemporaryDirectory())/mapreduce-fuzz-commit-\(getpid())"
        FileSystem.removeTree(root)
        defer { FileSystem.removeTree(root) }
        let outside = "\(root)/outside"
        let output = "\(root)/out"
        let files = FileManager.default
        precondition((try? files.createDirectory(atPath: "\(outside)/dir", withIntermediateDirectories: true)) != nil)
        for (path, text) in [("file", "outside\n"), ("dir/part-r-00000", "outside 0\n"), ("dir/part-r-00001", "outside 1\n")] {
            precondition(files.createFile(atPath: "\(outside)/\(path)", contents: Data(text.utf8)))
        }
        let before = self.snapshot(outside)
        guard let committer = try? OutputCommitter.prepare(directory: output, overwrite: false) else {
            preconditionFailure("cannot prepare \(output)")
        }

        let partitions = 2
        var planted: [AttemptID: Planted] = [:]
        var committed: [Int: String] = [:]
        let pairs = stride(from: 0, to: bytes.count - 1, by: 2).prefix(64).map { (bytes[$0], Int(bytes[$0 + 1])) }
        for (what, which) in pairs {
            let attempt = AttemptID(.reduce, task: which % partitions, attempt: which / partitions % 3 + 1)
            let directory = ReduceTask.attemptOutputDirectory(for: attempt, in: output)
            let part = ReduceTask(id: attempt, inputs: []).attemptOutputPath(in: output)
            let state = planted[attempt]
            switch what % 10 {
            case 0 where state == nil:
                precondition((try? files.createDirectory(atPath: directory, withIntermediateDirectories: false)) != nil)
                planted[attempt] = .nothing
            case 1...5 where state != nil && state != .linkedDirectory:
                // Only ever in a real directory: the harness itself must not write through a link.
                FileSystem.removeTree(part)
                let next: Planted
                switch what % 10 {
                case 1: next = .partFile("attempt \(attempt) wrote \(what)\n")
                case 2: next = .symbolicLinkToOutside
                case 3: next = .hardLinkToOutside
                case 4: next = .fifo
                default: next = .directory
                }
                self.plant(next, at: part, outside: outside)
                planted[attempt] = next
            case 6 where state == nil:
                precondition((try? files.createSymbolicLink(atPath: directory, withDestinationPath: "\(outside)/dir")) != nil)
                planted[attempt] = .linkedDirectory
            case 7:
                // Junk beside the attempts: a link to the outside, and a directory holding one.
                _ = try? files.createSymbolicLink(atPath: "\(output)/_temporary/junk-\(which)", withDestinationPath: outside)
                _ = try? files.createDirectory(atPath: "\(output)/_temporary/nest-\(which)/deeper", withIntermediateDirectories: true)
                _ = try? files.createSymbolicLink(atPath: "\(output)/_temporary/nest-\(which)/deeper/link", withDestinationPath: "\(outside)/file")
            case 8, 9:
                // The attempt reports success: only a regular part file may be taken.
                let succeeded = (try? committer.commitTask(attempt)) != nil
                if case .partFile(let text) = state {
                    precondition(succeeded, "the regular part file of \(attempt) was refused")
                    committed[attempt.task] = text
                    planted[attempt] = .nothing
                } else {
                    precondition(!succeeded, "\(attempt) was committed with \(String(describing: state))")
                }
            default:
                break
            }
        }

        if committed.count == partitions {
            let parts = (0..<partitions).map(ReduceTask.partFileName)
            precondition((try? committer.commit(parts: parts, documents: [("_job.json", [])])) != nil, "the job commit failed")
            let names = (try? files.contentsOfDirectory(atPath: output).sorted()) ?? []
            precondition(names == ["_SUCCESS", "_job.json"] + parts, "the output holds \(names)")
            for (partition, text) in committed {
                let contents = files.contents(atPath: "\(output)/\(ReduceTask.partFileName(partition))")
                precondition(contents == Data(text.utf8), "partition \(partition) is not what its attempt wrote")
            }
        } else {
            committer.abort()
            precondition(!files.fileExists(atPath: output), "an aborted job left its output directory")
        }
        precondition(self.snapshot(outside) == before, "something outside the output directory changed")
    }

    private static func plant(_ planted: Planted, at part: String, outside: String) {
        let files = FileManager.default
        let made: Bool
        switch planted {
        case .partFile(let text): made = files.createFile(atPath: part, contents: Data(text.utf8))
        case .symbolicLinkToOutside: made = (try? files.createSymbolicLink(atPath: part, withDestinationPath: "\(outside)/file")) != nil
        case .hardLinkToOutside: made = link("\(outside)/file", part) == 0
        case .fifo: made = mkfifo(part, 0o600) == 0
        case .directory: made = (try? files.createDirectory(atPath: "\(part)/inside", withIntermediateDirectories: true)) != nil
        case .nothing, .linkedDirectory: made = true
        }
        precondition(made, "cannot plant \(planted) at \(part)")
    }

    /// Every path below `root`, with its type and, for files, contents and, for links, target.
    private static func snapshot(_ root: String) -> [String: String] {
        let files = FileManager.default
        var entries: [String: String] = [:]
        for relative in (try? files.subpathsOfDirectory(atPath: root)) ?? [] {
            let path = "\(root)/\(relative)"
            let type = (try? files.attributesOfItem(atPath: path)[.type] as? FileAttributeType)?.map(\.rawValue) ?? "gone"
            let contents = files.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            let target = try? files.destinationOfSymbolicLink(atPath: path)
            entries[relative] = "\(type) \(contents ?? "") \(target ?? "")"
        }
        return entries
    }
}
