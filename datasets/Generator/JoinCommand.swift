import ArgumentParser
import Foundation
import MapReduce
import MapReduceCLI

/// Two tables to join: users and their orders.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Two tab-separated tables to join on a user id: users.tsv and orders.tsv.",
        discussion: """
            users.tsv has --users lines `user id<TAB>name<TAB>country`. orders.tsv (of about \
            --size bytes) has `order id<TAB>user id<TAB>amount`; buyers are drawn by Zipf's law, \
            so many users have no orders, and one order in fifty names a user id that is not \
            in users.tsv.
            """)

    @Option(help: "How much of orders.tsv to write: bytes, or with a K, M or G suffix.")
    var size = ByteCount(1 << 20)

    @Option(help: "The seed; the same seed and sizes give the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "The number of users.")
    var users = 2_000

    @Option(help: "The directory to write users.tsv and orders.tsv to.")
    var outputDirectory: String

    static let names = ["Ada", "Alan", "Barbara", "Edsger", "Grace", "John", "Ken", "Leslie", "Margaret", "Niklaus", "Radia", "Tony"]
    static let countries = ["DE", "FR", "GB", "IN", "JP", "NL", "US", "BR", "NG", "AU"]

    func run() throws {
        try FileManager.default.createDirectory(atPath: self.outputDirectory, withIntermediateDirectories: true)
        var id = 0
        try writeGeneratedLines(seed: self.seed, size: .max, to: "\(self.outputDirectory)/users.tsv") { random in
            guard id < self.users else { return [] }
            defer { id += 1 }
            let name = Self.names[Int(random.next() % UInt64(Self.names.count))]
            let country = Self.countries[Int(random.next() % UInt64(Self.countries.count))]
            return Array("u\(id)\t\(name) \(id)\t\(country)\n".utf8)
        }
        let buyers = ZipfSampler(count: self.users)
        var order = 0
        try writeGeneratedLines(seed: ~self.seed, size: self.size.bytes, to: "\(self.outputDirectory)/orders.tsv") { random in
            defer { order += 1 }
            let user = random.next() % 50 == 0 ? "u\(self.users + Int(random.next() % 100))" : "u\(buyers.sample(&random))"
            let cents = 100 + random.next() % 99_900
            return Array("o\(order)\t\(user)\t\(cents / 100).\(String(format: "%02d", cents % 100))\n".utf8)
        }
    }
}
