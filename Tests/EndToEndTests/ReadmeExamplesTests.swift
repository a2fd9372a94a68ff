import Foundation
import Testing
import TestSupport

/// The example outputs README.md shows are what the examples print on the shipped samples.
@Suite struct ReadmeExamplesTests {
    @Test func everyShownOutputLineComesFromARun() async throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = package.appendingPathComponent("scripts/readme-examples").path
        let result = try await ChildProcess(
            program: "/usr/bin/env", ["python3", script, "--bin", ChildProcess.productsDirectory], named: "readme-examples"
        ).wait(timeout: 300)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        // Every example with shown lines ran: ten lines, each checked.
        #expect(result.standardOutput.components(separatedBy: ": ok: ").count - 1 >= 10, "\(result.standardOutput)")
    }
}
