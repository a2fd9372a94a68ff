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

    /// The paths of the committed inputs of target `name`.
    static func inputs(_ name: String) throws -> [String] {
        let directory = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty, "the \(name) corpus has inputs")
        return files.map { directory.appendingPathComponent($0).path }
    }

    @Test(arguments: ["frames", "spill", "splitter", "commit"])
    func committedInputsStillPass(name: String) throws {
        try FuzzReplay.run(Self.inputs(name), Self.target(name))
    }

    /// The handshake target awaited, rather than blocking a thread of the pool its handshake runs on.
    @Test func committedHandshakeInputsStillPass() async throws {
        for path in try Self.inputs("handshake") {
            await FuzzTargets.playHandshake(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
    }
}
