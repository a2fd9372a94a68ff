import MapReduce

/// A reduce-side join of users and their orders on the user id.
///
/// Two named inputs, each with its own mapper: `--input users=PATH` (lines
/// `user id<TAB>name<TAB>country`) and `--input orders=PATH` (lines
/// `order id<TAB>user id<TAB>amount`). `--param type=inner` (the default)
/// writes one line per user and order, `user id<TAB>name<TAB>country<TAB>order id<TAB>amount`;
/// `--param type=left` also writes each user without orders, with the order
/// fields empty. Lines with too few fields are counted in `malformed lines`.
struct Join: Job {
    typealias Map = Users

    static var inputs: [NamedInput<String, Row>] {
        [NamedInput("users", Users.self), NamedInput("orders", Orders.self)]
    }

    enum JoinType: String, CaseIterable, ParameterValue {
        case inner, left
    }

    struct Parameters: ParameterSet {
        @Parameter(help: "inner: users with orders; left: every user") var type = JoinType.inner
    }

    /// A row of either table, tagged with its table.
    struct Row: ValueCodable {
        var isUser: Bool
        /// The row's fields other than the user id, tab-separated.
        var fields: String

        func encodeValue(to writer: inout ByteWriter) {
            writer.append(self.isUser ? 1 : 0)
            self.fields.writeText(to: &writer)
        }

        static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Row {
            guard let tag = bytes.first, let fields = String(validating: bytes.dropFirst(), as: UTF8.self) else {
                throw .invalid("not a join row")
            }
            return Row(isUser: tag == 1, fields: fields)
        }
    }

    /// Keys users.tsv rows by their id.
    struct Users: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Row>) {
            let fields = line.string.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { return context.counters.increment("malformed lines") }
            context.emit(String(fields[0]), Row(isUser: true, fields: fields[1...].joined(separator: "\t")))
        }
    }

    /// Keys orders.tsv rows by the id of the user who ordered.
    struct Orders: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Row>) {
            let fields = line.string.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { return context.counters.increment("malformed lines") }
            context.emit(String(fields[1]), Row(isUser: false, fields: "\(fields[0])\t\(fields[2...].joined(separator: "\t"))"))
        }
    }

    struct Reduce: Reducer {
        var type = JoinType.inner

        mutating func setUp(context: inout ReduceContext) throws {
            self.type = try Parameters(context.parameters).type
        }

        mutating func reduce(key: String, values: ReduceValues<Row>, context: inout ReduceContext) {
            var users: [String] = []
            var orders: [String] = []
            for row in values {
                if row.isUser { users.append(row.fields) } else { orders.append(row.fields) }
            }
            orders.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for user in users {
                for order in orders { context.write(key, "\(user)\t\(order)") }
                if orders.isEmpty, self.type == .left { context.write(key, "\(user)\t\t") }
            }
        }
    }
}
