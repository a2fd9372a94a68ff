import Foundation

/// A plain TCP client for throwing bad bytes at a server.
public final class RawClient {
    public let socket: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        self.socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard self.socket >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(self.socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // The socket is closed by `deinit`, which runs when an initializer throws once every property is set:
        // closing it here too could close a descriptor some other code has been given meanwhile.
        guard connected == 0 else { throw Failure(description: "connect to \(port): \(errno)") }
    }

    deinit {
        if self.socket >= 0 { close(self.socket) }
    }

    public func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(self.socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the server has closed the connection (or reset it); reads and discards what it sent, without waiting.
    public var isClosed: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(self.socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { continue }
            return count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }

    /// Reads and discards what the server sends until it closes the connection; true if it did
    /// within `timeout` seconds. Waiting suspends the task, so other tests keep their threads.
    public func closedByPeer(within timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var descriptor = pollfd(fd: self.socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            if recv(self.socket, &buffer, buffer.count, 0) <= 0 { return true }
        }
        return false
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
