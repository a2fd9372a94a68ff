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

    private struct State: Sendable {
        var gate = HandshakeGate<AcceptedChannel>(capacity: HandshakeAdmission.capacity)
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

    /// Lets `accepted` into the handshake, closing the connection it evicts;
    /// nil if it is refused (dropped untaken, it is closed at once).
    func admit(_ accepted: AcceptedChannel) -> Ticket? {
        let origin = PeerOrigin(accepted.remoteAddress)
        switch self.state.withLock({ $0.gate.admit(accepted, from: origin) }) {
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
        self.state.withLock { $0.gate.authenticated(ticket) }
    }

    /// The peer of `ticket` did not pass the handshake (it failed, gave up, ran out of time or was evicted).
    func failed(_ ticket: Ticket, peer: String, error: any Error) {
        // An evicted connection was counted when it was evicted.
        guard self.state.withLock({ $0.gate.failed(ticket) }) else { return }
        self.log("\(error)", peer: peer)
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
