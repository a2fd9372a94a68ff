import MapReduce
import MapReduceTesting
import Testing

@testable import join

@Suite struct JoinTests {
    static let users = ["u1\tAda\tUK", "u2\tBo\tSE", "u3\tCy\tFR", "short"]
    static let orders = ["o1\tu1\t10", "o2\tu1\t5", "o3\tu2\t7", "o4\tu9\t1", "o5"]

    @Test func theReducerSeesAUsersRowsBeforeItsOrdersInOneCall() throws {
        // Given orders first: the sort puts (u1, false) before (u1, true) and the grouping makes them one call.
        let output = try ReduceDriver(Join.self).run([
            (Join.Key(Bytes("u1"), KeyPair(true, "o2\t5")), [.init(isUser: false, fields: "o2\t5")]),
            (Join.Key(Bytes("u1"), KeyPair(true, "o1\t10")), [.init(isUser: false, fields: "o1\t10")]),
            (Join.Key(Bytes("u1"), KeyPair(false, "Ada\tUK")), [.init(isUser: true, fields: "Ada\tUK")]),
            (Join.Key(Bytes("u3"), KeyPair(false, "Cy\tFR")), [.init(isUser: true, fields: "Cy\tFR")]),
        ])
        #expect(output.lines == ["u1\tAda\tUK\to1\t10", "u1\tAda\tUK\to2\t5"])
        #expect(output.counters[.reduceInputGroups] == 2)
        let left = try ReduceDriver(Join.self, parameters: ["type": "left"]).run([
            (Join.Key(Bytes("u3"), KeyPair(false, "Cy\tFR")), [.init(isUser: true, fields: "Cy\tFR")]),
            (Join.Key(Bytes("u4"), KeyPair(true, "o9\t1")), [.init(isUser: false, fields: "o9\t1")]),
        ])
        #expect(left.lines == ["u3\tCy\tFR\t\t"])
    }

    @Test(arguments: ["inner", "left"])
    func theJobJoinsAsANestedLoopHereDoes(type: String) async throws {
        var expected: [String] = []
        for user in Self.users.map({ $0.split(separator: "\t", omittingEmptySubsequences: false) }) where user.count >= 3 {
            let matching = Self.orders.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
                .filter { $0.count >= 3 && $0[1] == user[0] }
            for order in matching { expected.append("\(user[0])\t\(user[1])\t\(user[2])\t\(order[0])\t\(order[2])") }
            if matching.isEmpty, type == "left" { expected.append("\(user[0])\t\(user[1])\t\(user[2])\t\t") }
        }
        let output = try await TestJob(Join.self, reducers: 2, parameters: ["type": type]).run(
            files: [:],
            named: [
                "users": ["users.tsv": Array(Self.users.map { $0 + "\n" }.joined().utf8)],
                "orders": ["orders.tsv": Array(Self.orders.map { $0 + "\n" }.joined().utf8)],
            ])
        #expect(output.lines.sorted() == expected.sorted())
        #expect(output.counters.user["malformed lines"] == 2)
    }

    @Test func anUnknownJoinTypeIsRefused() {
        let error = #expect(throws: JobError.self) { try ReduceDriver(Join.self, parameters: ["type": "outer"]).run([]) }
        #expect(error?.description == "parameter type=outer is not one of inner, left")
    }
}
