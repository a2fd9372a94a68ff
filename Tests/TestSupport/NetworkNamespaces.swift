import Foundation

/// Test hosts on one machine: Linux network namespaces joined by veth links
/// to a bridge, each with its own address on a private test subnet. Needs
/// root and `ip` (iproute2); `reason` says why not when they are missing.
public final class NetworkNamespaces: Sendable {
    /// Why namespaces cannot be made here, or nil if they can.
    public static let unavailableReason: String? = {
        guard geteuid() == 0 else { return "needs root to make network namespaces" }
        guard FileManager.default.isExecutableFile(atPath: ip) else { return "needs \(ip) (iproute2)" }
        let probe = "mr-probe-\(getpid())"
        guard (try? run([ip, "netns", "add", probe])) != nil else { return "ip netns add is not permitted here" }
        _ = try? run([ip, "netns", "del", probe])
        return nil
    }()

    static let ip = "/usr/sbin/ip"

    /// The namespaces' names, one per host.
    public let hosts: [String]
    /// Each host's address, in the same order.
    public let addresses: [String]
    private let bridge: String

    /// Makes `count` hosts on a bridge, addressed 10.213.X.1, .2, ...
    public init(count: Int) throws {
        let tag = String(UInt32.random(in: 0...0xFFFFF), radix: 16)
        let subnet = Int.random(in: 1...250)
        self.hosts = (0..<count).map { "mr\(tag)h\($0)" }
        self.addresses = (0..<count).map { "10.213.\(subnet).\($0 + 1)" }
        self.bridge = "mr\(tag)br"
        do {
            try Self.run([Self.ip, "netns", "add", self.bridge])
            try Self.inside(self.bridge, ["link", "add", "br0", "type", "bridge"])
            try Self.inside(self.bridge, ["link", "set", "br0", "up"])
            for (index, host) in self.hosts.enumerated() {
                let (here, there) = ("v\(tag)\(index)", "b\(tag)\(index)")
                try Self.run([Self.ip, "netns", "add", host])
                try Self.run([Self.ip, "link", "add", here, "type", "veth", "peer", "name", there])
                try Self.run([Self.ip, "link", "set", here, "netns", host])
                try Self.run([Self.ip, "link", "set", there, "netns", self.bridge])
                try Self.inside(self.bridge, ["link", "set", there, "master", "br0"])
                try Self.inside(self.bridge, ["link", "set", there, "up"])
                try Self.inside(host, ["addr", "add", "\(self.addresses[index])/24", "dev", here])
                try Self.inside(host, ["link", "set", here, "up"])
                try Self.inside(host, ["link", "set", "lo", "up"])
            }
        } catch {
            self.remove()
            throw error
        }
    }

    deinit {
        self.remove()
    }

    /// The command prefix that runs a program inside host `index`.
    public func wrapper(_ index: Int) -> [String] {
        [Self.ip, "netns", "exec", self.hosts[index]]
    }

    /// Takes host `index`'s link down: it is cut off the network.
    public func cutOff(_ index: Int) throws {
        try Self.inside(self.hosts[index], ["link", "set", "lo", "up"])
        let links = try Self.run([Self.ip, "-o", "link", "show"], namespace: self.hosts[index])
        for line in links.split(separator: "\n") where line.contains(": v") {
            let name = line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces).split(separator: "@")[0]
            try Self.inside(self.hosts[index], ["link", "set", String(name), "down"])
        }
    }

    private func remove() {
        for namespace in self.hosts + [self.bridge] { _ = try? Self.run([Self.ip, "netns", "del", namespace]) }
    }

    private static func inside(_ namespace: String, _ arguments: [String]) throws {
        try run([ip, "-n", namespace] + arguments)
    }

    @discardableResult
    private static func run(_ command: [String], namespace: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = namespace.map { ["-n", $0] + Array(command.dropFirst()) } ?? Array(command.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "\(command.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }
}
