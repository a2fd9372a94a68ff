import CMapReduceSpawn
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

    /// The child's process id.
    let processIdentifier: Int32
    /// The write end of the child's standard input; closing it (or dying) stops the child.
    private let lifeline: Int32
    private struct State {
        var lifelineOpen = true
        var ending: Ending?
    }

    private let state = Locked(State())

    /// Starts the child; `onExit` gets its process id and how it ended.
    ///
    /// It is spawned with `posix_spawn`, not `Process`: the arguments reach it byte for byte
    /// (a path that is not UTF-8 stays the path it was, see `PathBytes`), it inherits no open
    /// file but its standard streams, and the signals `run` ignores are the child's again.
    init(executable: String, arguments: [String], secret: Secret, onExit: @escaping @Sendable (Int32, Ending) -> Void) throws {
        var pipe: [Int32] = [-1, -1]
        guard pipe2(&pipe, O_CLOEXEC) == 0 else { throw SystemError("pipe", path: executable, errno: errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[0], STDIN_FILENO)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let variable = "\(Secret.environmentVariable)="
        var environment = ProcessInfo.processInfo.environment.filter { $0.key != Secret.environmentVariable }.map { "\($0.key)=\($0.value)" }
        environment.append(variable + secret.environmentValue)
        var spawned: pid_t = 0
        let result = Self.withCStrings([executable] + arguments) { argv in
            Self.withCStrings(environment) { envp in
                argv[0].map { posix_spawn(&spawned, $0, &actions, &attributes, argv, envp) } ?? EINVAL
            }
        }
        let processID = spawned
        close(pipe[0])
        guard result == 0 else {
            close(pipe[1])
            throw SystemError("spawn", path: executable, errno: result)
        }
        self.processIdentifier = processID
        self.lifeline = pipe[1]
        // A thread waits for the child: one blocked call, nothing to poll. It reaps the child under the
        // lock `send` takes, so that no signal can reach another process that got its id since.
        Thread { [self] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(processID), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            let ending = self.state.withLock { state in
                var status: Int32 = 0
                let reaped = waitpid(processID, &status, 0)
                let signal = status & 0x7f
                state.ending = reaped != processID ? .exited(-1) : signal == 0 ? .exited((status >> 8) & 0xff) : .killed(by: signal)
                return state.ending!
            }
            // Its pipe goes with it: a run whose workers die by the thousand must not run out of descriptors.
            self.closeLifeline()
            onExit(processID, ending)
        }.start()
    }

    /// Calls `body` with `strings` as a NULL-terminated array of C strings, each a string's bytes (see `PathBytes`).
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { string in PathBytes.cString(string).withUnsafeBufferPointer { strdup($0.baseAddress!) } }
        defer { for copy in copies { free(copy) } }
        return body(copies + [nil])
    }

    var isRunning: Bool { self.state.withLock { $0.ending == nil } }

    /// Asks the child to go (closing its lifeline), kills it if it is still there
    /// after `grace`, and returns once it has exited. Call it from a task that is
    /// not cancelled: it waits in sleeps.
    func stop(grace: Duration) async {
        self.closeLifeline()
        let deadline = ContinuousClock.now + grace
        while self.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        self.send(SIGKILL)
        while self.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Closes the write end of the child's standard input, once: the child takes it as its parent going away.
    func closeLifeline() {
        let open = self.state.withLock { state in
            defer { state.lifelineOpen = false }
            return state.lifelineOpen
        }
        guard open, close(self.lifeline) != 0 else { return }
        FileHandle.standardError.write(
            Data("warning: cannot close process \(self.processIdentifier)'s standard input: \(SystemError("close", path: "a pipe", errno: errno))\n".utf8))
    }

    /// The path of the running executable.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Sends the child `signal`, if it is still there.
    func send(_ signal: Int32) {
        self.state.withLock { state in
            if state.ending == nil { kill(self.processIdentifier, signal) }
        }
    }
}
