import Foundation
import MapReduce

/// Connections that never say a word, on loopback ports, from a thread of
/// their own (connecting can block while a port's backlog is full): `held`
/// are kept open on each port, each one the server closes is replaced at
/// once, and besides a new one is opened on each port every 10 ms (closing
/// the oldest).
public final class ConnectionFlood: Sendable {
    private struct State {
        var ports: [Int] = []
        var stopped = false
        var finished = false
        var opened = 0
    }

    private let state = Locked(State())
    private let held: Int

    private init(ports: [Int], held: Int) {
        self.held = held
        self.state.withLock { $0.ports = ports }
    }

    /// Floods `ports` (more can be added with `add`) while `body` runs, then
    /// closes every connection; returns what `body` returned and how many connections were opened.
    public static func during<T>(ports: [Int], held: Int, _ body: (ConnectionFlood) async throws -> T) async throws -> (T, opened: Int) {
        let flood = ConnectionFlood(ports: ports, held: held)
        Thread { flood.flood() }.start()
        let result: Result<T, any Error>
        do {
            result = .success(try await body(flood))
        } catch {
            result = .failure(error)
        }
        let opened = await flood.stop()
        return (try result.get(), opened)
    }

    /// Floods `port` too.
    public func add(_ port: Int) {
        self.state.withLock { $0.ports.append(port) }
    }

    /// Connections opened so far.
    public var opened: Int { self.state.withLock { $0.opened } }

    /// Stops, closes every connection, and returns how many were opened.
    private func stop() async -> Int {
        self.state.withLock { $0.stopped = true }
        while !self.state.withLock({ $0.finished }) { try? await Task.sleep(for: .milliseconds(10)) }
        return self.opened
    }

    private func flood() {
        var open: [Int: [RawClient]] = [:]
        while true {
            let (ports, stopped) = self.state.withLock { ($0.ports, $0.stopped) }
            if stopped { break }
            for port in ports {
                let clients = open[port, default: []].filter { !$0.isClosed }
                let fresh = (clients.count...self.held).compactMap { _ in try? RawClient(port: port) }
                self.state.withLock { $0.opened += fresh.count }
                open[port] = Array((clients + fresh).suffix(self.held))
            }
            usleep(10_000)
        }
        open = [:]
        self.state.withLock { $0.finished = true }
    }
}
