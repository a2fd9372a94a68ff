import Foundation

/// Runs a built executable of this package as a child process, with a time limit.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is only read after `run()` and is itself thread-safe for
    // the calls made here; the output files are read once the process has exited.

    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// The lines of standard error, without empty ones.
        public var errorLines: [Substring] { self.standardError.split(separator: "\n") }
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var command: String
        public var seconds: Double
        /// The last lines the process wrote to standard error, to tell where it stood.
        public var lastErrorLines: [Substring] = []
        public var description: String {
            let finished = "\(self.command) did not finish in \(self.seconds) s"
            return self.lastErrorLines.isEmpty ? finished : "\(finished); its last lines:\n" + self.lastErrorLines.joined(separator: "\n")
        }
    }

    /// How many lines of standard error a timeout reports.
    static let linesOnTimeout = 40

    /// The directory of the package's built products (where the test binary lives).
    public static var productsDirectory: String {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: testBinary).deletingLastPathComponent().path
    }

    private let process = Process()
    private let scratch: URL
    private let command: String

    /// Starts product `name` (or, with `wrapper`, the wrapper command running it) with `arguments`.
    public convenience init(_ name: String, _ arguments: [String], wrapper: [String] = [], environment: [String: String] = [:]) throws {
        let executable = "\(Self.productsDirectory)/\(name)"
        let command = wrapper + [executable] + arguments
        try self.init(program: command[0], Array(command.dropFirst()), named: name, environment: environment)
    }

    /// Starts the program at `path` (one of the system's, not of the package) with `arguments`.
    public init(program path: String, _ arguments: [String], named name: String? = nil, environment: [String: String] = [:]) throws {
        self.scratch = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.scratch, withIntermediateDirectories: true)
        for stream in ["out", "err"] {
            try Data().write(to: self.scratch.appendingPathComponent(stream))
        }
        self.command = "\(name ?? path) \(arguments.joined(separator: " "))"
        self.process.executableURL = URL(fileURLWithPath: path)
        self.process.arguments = arguments
        self.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        self.process.standardInput = FileHandle.nullDevice
        self.process.standardOutput = try FileHandle(forWritingTo: self.scratch.appendingPathComponent("out"))
        self.process.standardError = try FileHandle(forWritingTo: self.scratch.appendingPathComponent("err"))
        try self.process.run()
    }

    deinit {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.scratch)
    }

    public var processIdentifier: Int32 { self.process.processIdentifier }

    /// What the process has written to standard error so far.
    public var standardErrorSoFar: String {
        String(decoding: (try? Data(contentsOf: self.scratch.appendingPathComponent("err"))) ?? Data(), as: UTF8.self)
    }

    /// Waits for the process to exit; kills it and throws if it takes longer than `timeout` seconds.
    /// Waiting suspends the task rather than blocking a thread, so tests running at the same time keep theirs.
    public func wait(timeout: Double = 120) async throws -> Result {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while self.process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(self.process.processIdentifier, SIGKILL)
                self.process.waitUntilExit()
                throw TimedOut(
                    command: self.command, seconds: timeout,
                    lastErrorLines: Array(self.standardErrorSoFar.split(separator: "\n").suffix(Self.linesOnTimeout)))
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        self.process.waitUntilExit()
        return Result(
            status: self.process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: self.scratch.appendingPathComponent("out")), as: UTF8.self),
            standardError: self.standardErrorSoFar)
    }

    /// Waits until standard error holds a line matching `pattern`, and returns its first capture group.
    public func waitForStandardError(matching pattern: String, timeout: Double = 60) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while ContinuousClock.now < deadline {
            let text = self.standardErrorSoFar
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: match.numberOfRanges > 1 ? 1 : 0), in: text)
            {
                return String(text[range])
            }
            guard self.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimedOut(command: "\(self.command) (waiting for /\(pattern)/ on stderr)", seconds: timeout)
    }

    /// Runs product `name` with `arguments` to its end.
    public static func run(_ name: String, _ arguments: [String], timeout: Double = 120) async throws -> Result {
        try await ChildProcess(name, arguments).wait(timeout: timeout)
    }
}
