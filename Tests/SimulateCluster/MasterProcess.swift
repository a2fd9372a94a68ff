import Foundation

/// The master, in a process of its own so that its CPU time and peak RSS are its own.
final class MasterProcess: Sendable {
    let pid: pid_t
    /// Where its standard error goes.
    let log: String

    /// What the process used, once it has exited.
    struct Usage {
        var status: Int32
        var cpuSeconds: Double
        var peakRSSBytes: Int
    }

    /// Starts `arguments[0]` with `arguments`, its standard error in `log`.
    init(_ arguments: [String], log: String) throws {
        self.log = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard result == 0 else { throw SimulationError("cannot start \(arguments[0]): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Waits until the master prints the port it listens on.
    func port(within timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        let pattern = try NSRegularExpression(pattern: "listening on 127\\.0\\.0\\.1:(\\d+)")
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: self.log, encoding: .utf8)) ?? ""
            if let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: 1), in: text), let port = Int(text[range])
            {
                return port
            }
            if waitpid(self.pid, nil, WNOHANG) == self.pid { throw SimulationError("the master exited at once:\n\(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SimulationError("the master printed no port within \(timeout)")
    }

    /// Waits for the process to exit, and returns what it used.
    func wait() -> Usage {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(self.pid, &status, 0, &usage) < 0 && errno == EINTR {}
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return Usage(
            status: status, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakRSSBytes: Int(usage.ru_maxrss) * 1024)
    }

    /// What the running process has used so far: CPU time from `/proc/PID/stat`, peak RSS from `/proc/PID/status`.
    func usageSoFar() -> Usage {
        let stat = (try? String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8)) ?? ""
        // The fields after the command's name, which ends with the last ")": utime and stime are the 12th and 13th.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = fields.count > 12 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0
        let status = (try? String(contentsOfFile: "/proc/\(self.pid)/status", encoding: .utf8)) ?? ""
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }?.split(separator: " ").dropFirst().first
        return Usage(status: -1, cpuSeconds: ticks / Double(sysconf(Int32(_SC_CLK_TCK))), peakRSSBytes: (Int(peak ?? "") ?? 0) * 1024)
    }

    /// Stops the master, if it still runs.
    func stop() {
        kill(self.pid, SIGTERM)
    }
}
