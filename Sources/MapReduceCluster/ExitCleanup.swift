import Foundation
import MapReduce

/// Work to do however the process ends: normally, by a termination signal,
/// or because its parent went away. Workers remove their work directories;
/// masters remove an unfinished job's `_temporary`.
public enum ExitCleanup {
    private static let actions = Locked<[@Sendable () -> Void]>([])

    /// Adds `action` to what runs before the process exits.
    public static func register(_ action: @escaping @Sendable () -> Void) {
        self.actions.withLock { $0.append(action) }
    }

    /// Runs the registered actions and exits with `status`.
    public static func runAndExit(_ status: Int32) -> Never {
        for action in self.actions.withLock({ $0 }) { action() }
        exit(status)
    }

    /// Exits (cleaning up) when standard input reaches its end: a worker
    /// started by `run` reads a pipe its parent holds open, so it follows
    /// its parent even when the parent is killed with SIGKILL.
    public static func exitWhenStandardInputCloses() {
        let thread = Thread {
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) > 0 {}
            runAndExit(1)
        }
        thread.start()
    }

    /// Cleans up and exits on SIGTERM, SIGINT and SIGHUP.
    public static func exitOnTerminationSignals() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { runAndExit(128 + signalNumber) }
            source.resume()
            Self.sources.append(source)
        }
    }

    /// Keeps the signal sources alive. Written only by `exitOnTerminationSignals`,
    /// which runs once at start-up before any other thread looks at it.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
}
