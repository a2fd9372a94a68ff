import Foundation
import MapReduce

/// A child process of `run`, its master or a worker: the same executable,
/// handed the secret in its environment (out of sight of `ps`), and reading a
/// pipe whose end tells it that its parent is gone.
final class ClusterProcess: Sendable {
    /// How a child ended: its exit status, or the signal that killed it.
    enum Ending: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case killed(by: Int32)

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .killed(let signal): "killed by signal \(signal)"
            }
        }
    }

    private let process: Process
    /// The write end of the child's standard input; closing it (or dying) stops the child.
    private let lifeline: FileHandle
    private let lifelineClosed = Locked(false)

    /// Starts the child; `onExit` gets its process id and how it ended.
    init(executable: String, arguments: [String], secret: Secret, onExit: @escaping @Sendable (Int32, Ending) -> Void) throws {
        // Process hands a child its arguments as UTF-8, which would alter a path's bytes that are not.
        if let argument = arguments.first(where: { !PathBytes.isUTF8($0) }) {
            throw JobError("cannot pass \(PathBytes.display(argument)) to a process of run: a path given to run must be UTF-8")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment[Secret.environmentVariable] = secret.environmentValue
        process.environment = environment
        let pipe = Pipe()
        process.standardInput = pipe
        process.terminationHandler = { process in
            let status = process.terminationStatus
            onExit(process.processIdentifier, process.terminationReason == .uncaughtSignal ? .killed(by: status) : .exited(status))
        }
        try process.run()
        self.process = process
        self.lifeline = pipe.fileHandleForWriting
    }

    var processIdentifier: Int32 { self.process.processIdentifier }

    var isRunning: Bool { self.process.isRunning }

    /// Asks the child to go (closing its lifeline), kills it if it is still there
    /// after `grace`, and returns once it has exited. Call it from a task that is
    /// not cancelled: it waits in sleeps.
    func stop(grace: Duration) async {
        self.closeLifeline()
        let deadline = ContinuousClock.now + grace
        while self.process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGKILL)
        while self.process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Closes the write end of the child's standard input, once: the child takes it as its parent going away.
    func closeLifeline() {
        self.lifelineClosed.withLock { closed in
            guard !closed else { return }
            closed = true
            do {
                try self.lifeline.close()
            } catch {
                FileHandle.standardError.write(Data("warning: cannot close process \(self.processIdentifier)'s standard input: \(error)\n".utf8))
            }
        }
    }

    /// The path of the running executable.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Sends the child `signal`, if it is still there.
    func send(_ signal: Int32) {
        if self.process.isRunning { kill(self.process.processIdentifier, signal) }
    }
}
