import Foundation
import Logging
import MapReduce
import NIOCore

/// One listening port's `HandshakeGate`, shared by its accept loop and its
/// handshake tasks: it closes the connections the gate evicts, says that it
/// evicts in a line every ten seconds at most, and logs other failed
/// handshakes within a `LogBudget` (ten lines in ten seconds, then a count).
final class HandshakeAdmission: Sendable {
    typealias Ticket = HandshakeGate<AcceptedChannel>.Ticket

    /// The time a peer has to pass the handshake: many round trips, however far away it is.
    static let deadline = TimeAmount.seconds(3)

    /// Connections the kernel queues until they are accepted (it may cap this
    /// lower: `net.core.somaxconn`). Larger than the connections a flood holds
    /// open, so a peer's connection still finds a place in the queue, where it
    /// waits only for those ahead of it to be accepted, not for them to end.
    static let backlog: Int32 = 4096

    /// Connections that may wait in the handshake on one port: 1,024, more
    /// than a flood of a thousand held open, or a quarter of the files this
    /// process may open if that is fewer (but at least 64).
    static let capacity: Int = {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 256 }
        return Int(clamping: min(1024, max(64, limit.rlim_cur / 4)))
    }()

    /// Handshakes that may be under way at once, waiting or evicted and not yet closed: beyond
    /// it the accept loop waits, and the kernel queues new connections. It bounds what a flood
    /// evicted faster than its connections close can make a process hold.
    static var runningLimit: Int { 2 * self.capacity }

    private struct State: Sendable {
        var gate = HandshakeGate<AcceptedChannel>(capacity: HandshakeAdmission.capacity)
        var running = 0
        var waitingForRoom: CheckedContinuation<Void, Never>?
        var failures = LogBudget(linesPerInterval: 10, interval: .seconds(10))
        var evictions = LogBudget(linesPerInterval: 1, interval: .seconds(10))
    }

    private let state = Locked(State())
    private let logger: Logger
    private let port: String

    init(logger: Logger, port name: String) {
        self.logger = logger
        self.port = name
    }

    /// Returns once fewer than `runningLimit` handshakes are under way.
    func waitForRoom() async {
        guard self.state.withLock({ $0.running >= Self.runningLimit }) else { return }
        await withCheckedContinuation { continuation in
            let room = self.state.withLock { state in
                guard state.running >= Self.runningLimit else { return true }
                state.waitingForRoom = continuation
                return false
            }
            if room { continuation.resume() }
        }
    }

    /// Lets `accepted` into the handshake, closing the connection it evicts;
    /// nil if it is refused (dropped untaken, it is closed at once).
    func admit(_ accepted: AcceptedChannel) -> Ticket? {
        let origin = PeerOrigin(accepted.remoteAddress)
        let admission = self.state.withLock { state in
            let admission = state.gate.admit(accepted, from: origin)
            if case .admitted = admission { state.running += 1 }
            return admission
        }
        switch admission {
        case .admitted(let ticket, let evicted):
            if let evicted {
                evicted.close()
                self.logEviction()
            }
            return ticket
        case .refused:
            self.log("refused: the handshake is full of connections from origins that authenticated before", peer: "\(origin)")
            return nil
        }
    }

    /// The peer of `ticket` proved it holds the secret.
    func authenticated(_ ticket: Ticket) {
        self.state.withLock { state in
            state.gate.authenticated(ticket)
            self.handshakeEnded(&state)
        }
    }

    /// The peer of `ticket` did not pass the handshake (it failed, gave up, ran out of time or was evicted).
    func failed(_ ticket: Ticket, peer: String, error: any Error) {
        let waiting = self.state.withLock { state in
            defer { self.handshakeEnded(&state) }
            return state.gate.failed(ticket)
        }
        // An evicted connection was counted when it was evicted.
        if waiting { self.log("\(error)", peer: peer) }
    }

    private func handshakeEnded(_ state: inout State) {
        state.running -= 1
        if state.running < Self.runningLimit, let waiter = state.waitingForRoom {
            state.waitingForRoom = nil
            waiter.resume()
        }
    }

    private func logEviction() {
        let decision = self.state.withLock { $0.evictions.spend(at: ContinuousClock.now) }
        guard case .log(let leftOut) = decision else { return }
        self.logger.warning(
            "\(self.port) port: the handshake is full; the oldest waiting connections are evicted for newer ones",
            metadata: ["evicted since the last such line": "\(leftOut + 1)"])
    }

    private func log(_ problem: String, peer: String) {
        let decision = self.state.withLock { $0.failures.spend(at: ContinuousClock.now) }
        guard case .log(let leftOut) = decision else { return }
        if leftOut > 0 {
            self.logger.warning("\(self.port) port: \(leftOut) more connections failed the handshake, not logged one by one")
        }
        self.logger.warning("\(self.port) connection failed the handshake", metadata: ["peer": "\(peer)", "error": "\(problem)"])
    }
}
