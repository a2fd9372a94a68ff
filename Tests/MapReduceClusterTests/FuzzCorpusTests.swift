import Foundation
import FuzzTargets
import Testing

/// Replays every committed fuzzing input (seeds, and inputs that once crashed) through its target.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static func target(_ name: String) -> (UnsafeRawBufferPointer) -> Void {
        switch name {
        case "frames": FuzzTargets.frames
        case "spill": FuzzTargets.spillFile
        case "commit": FuzzTargets.commit
        default: FuzzTargets.splitter
        }
    }

    @Test(arguments: ["frames", "spill", "splitter", "commit"])
    func committedInputsStillPass(name: String) throws {
        let run = Self.target(name)
        let directory = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty, "the \(name) corpus has inputs")
        try FuzzReplay.run(files.map { directory.appendingPathComponent($0).path }, run)
    }
}
