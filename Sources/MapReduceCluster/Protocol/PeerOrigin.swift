import NIOCore

/// Where a connection comes from, as admission to the handshake counts it:
/// an IPv4 address, or an IPv6 /64 network (one host is commonly given a
/// whole /64, so counting its addresses one by one would count nothing).
struct PeerOrigin: Hashable, Sendable, CustomStringConvertible {
    /// The address, or the /64 network, as text.
    let key: String
    /// Whether the connection comes from this host: every process of a local
    /// cluster does, so it is never held to a share of its own.
    let isLoopback: Bool

    init(key: String, isLoopback: Bool) {
        self.key = key
        self.isLoopback = isLoopback
    }

    /// The origin of a connection from `address` (a connection without one, over a Unix socket, is local).
    init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            self.init(ipv4: withUnsafeBytes(of: v4.address.sin_addr) { Array($0) })
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                self.init(ipv4: Array(bytes[12...]))
            } else if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] == 1 {
                self.init(key: "::1", isLoopback: true)
            } else {
                let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                self.init(key: groups.joined(separator: ":") + "::/64", isLoopback: false)
            }
        case .unixDomainSocket, nil:
            self.init(key: "local", isLoopback: true)
        }
    }

    /// An IPv4 address from its 4 bytes in network order.
    private init(ipv4 bytes: [UInt8]) {
        self.init(key: bytes.map(String.init).joined(separator: "."), isLoopback: bytes[0] == 127)
    }

    var description: String { self.key }
}
