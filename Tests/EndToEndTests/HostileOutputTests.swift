import Foundation
import MapReduce
import Testing
import TestSupport

/// Reduce attempts that plant links, hard links, FIFOs or nothing where their
/// part file belongs (the `tamper` test job): a cluster runs them again and
/// commits the right output; nothing outside the output directory changes.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct HostileOutputTests {
    /// What `planting` leaves outside by itself, planted in a scratch directory: what `outside` must hold after the job.
    static func expectedOutside(after planting: Planting, precious: [UInt8]) throws -> [String: String] {
        let scratch = try TemporaryDirectory()
        try scratch.write("outside/precious.txt", precious)
        try FileManager.default.createDirectory(atPath: "\(scratch.path)/attempt", withIntermediateDirectories: true)
        try scratch.write("attempt/\(ReduceTask.partFileName(0))", Array("some output\n".utf8))
        try planting.plant(partFile: ReduceTask.partFileName(0), in: "\(scratch.path)/attempt", outside: "\(scratch.path)/outside")
        return try snapshot("\(scratch.path)/outside")
    }

    static func arguments(_ planting: Planting, _ directory: TemporaryDirectory) -> [String] {
        let out = "\(directory.path)/out"
        return [
            "--job", "tamper", "--reducers", "2", "--param", "plant=\(planting)", "--param", "outside=\(directory.path)/outside",
            "--param", "output=\(out)", "--output", out, "\(directory.path)/input",
        ]
    }

    @Test(arguments: [Planting.symlinkedAttemptDirectory, .hardLinkedPartFile, .fifo, .missingPartFile])
    func aClusterRunsAPlantedReduceAgainAndTouchesNothingOutside(planting: Planting) async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 31)
        let text = random.make(size: 20_000)
        try directory.write("input/a.txt", text)
        let precious = Array("keep me\n".utf8)
        try directory.write("outside/precious.txt", precious)

        let result = try await ChildProcess.run("testjobs", ["run", "--workers", "2"] + Self.arguments(planting, directory))
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count([text]).map { "\($0.key)\t\($0.value)" }.sorted())
        let out = "\(directory.path)/out"
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["_SUCCESS", "_job.json", "_report.html", "part-r-00000", "part-r-00001"])
        let report = try String(contentsOfFile: "\(out)/_job.json", encoding: .utf8)
        #expect(report.contains("\"r-00000-a2\""), "the planted reduce ran again")
        #expect(try snapshot("\(directory.path)/outside") == Self.expectedOutside(after: planting, precious: precious))
    }

    @Test func inOneProcessAPlantedReduceFailsTheJobAndLeavesNoOutput() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("one two three\n".utf8))
        let precious = Array("keep me\n".utf8)
        try directory.write("outside/precious.txt", precious)
        let result = try await ChildProcess.run("testjobs", ["run", "--in-process"] + Self.arguments(.symlinkedPartFile, directory))
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("r-00000-a1"), "\(result.standardError)")
        #expect(result.standardError.contains("part-r-00000: it, or a directory on its way, is a symbolic link"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/out"))
        #expect(try snapshot("\(directory.path)/outside") == Self.expectedOutside(after: .symlinkedPartFile, precious: precious))
    }
}
}
