import NIOCore
import Testing

@testable import MapReduceCluster

/// Who waits in the handshake, who is evicted for whom, and who is refused.
@Suite struct HandshakeGateTests {
    static let local = PeerOrigin(key: "127.0.0.1", isLoopback: true)
    static let remote = PeerOrigin(key: "192.0.2.7", isLoopback: false)
    static let otherRemote = PeerOrigin(key: "198.51.100.9", isLoopback: false)

    typealias Gate = HandshakeGate<String>

    /// Admits `name`; returns its ticket and the handle it evicted, or nil if it was refused.
    static func admit(_ name: String, from origin: PeerOrigin, into gate: inout Gate) -> (Gate.Ticket, evicted: String?)? {
        guard case .admitted(let ticket, let evicted) = gate.admit(name, from: origin) else { return nil }
        return (ticket, evicted)
    }

    @Test func aFullTableEvictsItsOldestForANewcomer() throws {
        var gate = Gate(capacity: 3)
        var tickets: [Gate.Ticket] = []
        for name in ["a", "b", "c"] {
            let (ticket, evicted) = try #require(Self.admit(name, from: Self.local, into: &gate))
            #expect(evicted == nil)
            tickets.append(ticket)
        }
        #expect(Self.admit("d", from: Self.local, into: &gate)?.evicted == "a")
        #expect(Self.admit("e", from: Self.local, into: &gate)?.evicted == "b")
        #expect(gate.waitingCount == 3)
        // An evicted connection's ticket is void; one still waiting leaves a place when it fails.
        #expect(gate.failed(tickets[0]) == false)
        #expect(gate.failed(tickets[2]) == true)
        #expect(gate.waitingCount == 2)
        #expect(Self.admit("f", from: Self.local, into: &gate)?.evicted == nil)
    }

    @Test func aPeerThatAnswersInTimeIsNeverEvicted() throws {
        // A peer that answers before the table has filled up behind it is never the one evicted,
        // however long the flood lasts.
        var gate = Gate(capacity: 8)
        var evicted: [String] = []
        for round in 0..<100 {
            let (peer, _) = try #require(Self.admit("peer \(round)", from: Self.local, into: &gate))
            for flood in 0..<7 {
                if let victim = Self.admit("flood \(round).\(flood)", from: Self.local, into: &gate)?.evicted { evicted.append(victim) }
            }
            gate.authenticated(peer)
        }
        #expect(evicted.count == 100 * 7 - 7)
        #expect(evicted.allSatisfy { $0.hasPrefix("flood") })
    }

    @Test func originsThatAuthenticatedOutrankThoseThatNeverDid() throws {
        var gate = Gate(capacity: 2)
        let (first, _) = try #require(Self.admit("worker", from: Self.remote, into: &gate))
        gate.authenticated(first)
        #expect(gate.isTrusted(Self.remote))
        #expect(!gate.isTrusted(Self.otherRemote))
        _ = try #require(Self.admit("trusted 1", from: Self.remote, into: &gate))
        _ = try #require(Self.admit("stranger 1", from: Self.otherRemote, into: &gate))
        // The stranger's connection gives way to a trusted newcomer, not the older trusted one.
        #expect(Self.admit("trusted 2", from: Self.remote, into: &gate)?.evicted == "stranger 1")
        // A stranger finds the table full of trusted connections: refused.
        #expect(Self.admit("stranger 2", from: Self.otherRemote, into: &gate) == nil)
        // A trusted newcomer then evicts the oldest trusted one.
        #expect(Self.admit("trusted 3", from: Self.remote, into: &gate)?.evicted == "trusted 1")
    }

    @Test func aRemoteOriginEvictsOnlyItsOwnBeyondItsShare() throws {
        var gate = Gate(capacity: 10, originShare: 2)
        _ = try #require(Self.admit("other", from: Self.otherRemote, into: &gate))
        _ = try #require(Self.admit("flood 1", from: Self.remote, into: &gate))
        _ = try #require(Self.admit("flood 2", from: Self.remote, into: &gate))
        #expect(Self.admit("flood 3", from: Self.remote, into: &gate)?.evicted == "flood 1")
        #expect(Self.admit("flood 4", from: Self.remote, into: &gate)?.evicted == "flood 2")
        #expect(gate.waitingCount == 3)
        // Loopback has no share: a local cluster's processes all come from it.
        for index in 0..<7 { #expect(Self.admit("local \(index)", from: Self.local, into: &gate)?.evicted == nil) }
        #expect(gate.waitingCount == 10)
        #expect(Self.admit("local 7", from: Self.local, into: &gate)?.evicted == "other")
    }

    @Test func rememberedOriginsAreBounded() throws {
        var gate = Gate(capacity: 4, rememberedOrigins: 3)
        let origins = (1...4).map { PeerOrigin(key: "192.0.2.\($0)", isLoopback: false) }
        for origin in origins {
            let (ticket, _) = try #require(Self.admit("peer", from: origin, into: &gate))
            gate.authenticated(ticket)
        }
        #expect(origins.map(gate.isTrusted) == [false, true, true, true])
        #expect(gate.waitingCount == 0)
    }

    @Test func originsAreAddressesAndIPv6Networks() throws {
        #expect(PeerOrigin(try SocketAddress(ipAddress: "127.0.0.1", port: 9)) == Self.local)
        #expect(PeerOrigin(try SocketAddress(ipAddress: "10.1.2.3", port: 9)) == PeerOrigin(key: "10.1.2.3", isLoopback: false))
        #expect(PeerOrigin(try SocketAddress(ipAddress: "::1", port: 9)).isLoopback)
        #expect(PeerOrigin(try SocketAddress(ipAddress: "::ffff:127.0.0.2", port: 9)) == PeerOrigin(key: "127.0.0.2", isLoopback: true))
        let one = PeerOrigin(try SocketAddress(ipAddress: "2001:db8:0:7::1", port: 9))
        let other = PeerOrigin(try SocketAddress(ipAddress: "2001:db8:0:7:ffff::2", port: 80))
        #expect(one == other)
        #expect(one == PeerOrigin(key: "2001:db8:0:7::/64", isLoopback: false))
        #expect(PeerOrigin(try SocketAddress(ipAddress: "2001:db8:0:8::1", port: 9)) != one)
        #expect(PeerOrigin(nil).isLoopback)
    }

    @Test func aLogBudgetLogsAFewLinesAnIntervalAndCountsTheRest() {
        var budget = LogBudget(linesPerInterval: 2, interval: .seconds(10))
        let start = ContinuousClock.now
        let decisions = [0, 1, 2, 3, 9].map { budget.spend(at: start + .seconds($0)) }
        #expect(decisions == [.log(leftOut: 0), .log(leftOut: 0), .leaveOut, .leaveOut, .leaveOut])
        #expect(budget.spend(at: start + .seconds(10)) == .log(leftOut: 3))
        #expect(budget.spend(at: start + .seconds(11)) == .log(leftOut: 0))
        #expect(budget.spend(at: start + .seconds(30)) == .log(leftOut: 0))
    }
}
