import Foundation
import MapReduce

/// Why a command stopped before its work was done.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// A termination signal: SIGTERM, SIGINT or SIGHUP.
    case signal(Int32)
    /// The process's parent went away (its standard input, a pipe the parent held, closed).
    case parentWentAway

    /// The exit status of a process stopped for this reason: 128 plus the signal's number, or 1.
    public var exitStatus: Int32 {
        switch self {
        case .signal(let number): 128 + number
        case .parentWentAway: 1
        }
    }

    /// How a stop names the reason: `SIGTERM`, or `its parent going away`.
    public var description: String {
        switch self {
        case .signal(SIGTERM): "SIGTERM"
        case .signal(SIGINT): "SIGINT"
        case .signal(SIGHUP): "SIGHUP"
        case .signal(let number): "signal \(number)"
        case .parentWentAway: "its parent going away"
        }
    }
}

/// Turns termination signals, and optionally the parent going away, into
/// cancelling a command's work: the signal handler only records why and
/// cancels the task running the work. Everything else (stopping writers,
/// removing unfinished output, choosing the exit status) happens in ordinary
/// code, once the cancelled work has returned.
public final class StopSignal: Sendable {
    private struct State {
        var reason: StopReason?
        var cancel: (@Sendable () -> Void)?
        /// Set once the work has returned: a stop after that changes nothing.
        var finished = false
    }

    private let state = Locked(State())
    /// Kept alive for as long as the signals are to be caught. Unsafe only in
    /// name: written once, in `init`, and never read.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    /// Catches SIGTERM, SIGINT and SIGHUP from now on (instead of dying of them).
    public init() {
        let state = self.state
        self.sources = [SIGTERM, SIGINT, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { Self.stop(state, .signal(number)) }
            source.resume()
            return source
        }
    }

    /// Why the work was stopped, if it was.
    public var reason: StopReason? { self.state.withLock { $0.reason } }

    /// Stops the work when standard input reaches its end: a worker started by
    /// `run` reads a pipe its parent holds open, so it follows its parent even
    /// when the parent is killed with SIGKILL.
    public func stopWhenStandardInputCloses() {
        let state = self.state
        Thread {
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) > 0 {}
            Self.stop(state, .parentWentAway)
        }.start()
    }

    /// Runs `body` in a task that a stop cancels, and returns (or throws) what it does
    /// once it has returned. A stop that came before `body` started cancels it at
    /// once; one that comes after it has returned is ignored.
    public func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let stopped = self.state.withLock { state in
            state.cancel = { task.cancel() }
            return state.reason != nil
        }
        if stopped { task.cancel() }
        let result = await task.result
        self.state.withLock { $0.finished = true }
        return try result.get()
    }

    /// Records the first reason to stop and cancels the work.
    private static func stop(_ state: Locked<State>, _ reason: StopReason) {
        let cancel = state.withLock { state -> (@Sendable () -> Void)? in
            guard state.reason == nil, !state.finished else { return nil }
            state.reason = reason
            return state.cancel
        }
        cancel?()
    }
}
