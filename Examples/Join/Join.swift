import MapReduce

/// A reduce-side join of users and their orders on the user id.
///
/// Two named inputs, each with its own mapper: `--input users=PATH` (lines
/// `user id<TAB>name<TAB>country`) and `--input orders=PATH` (lines
/// `order id<TAB>user id<TAB>amount`). `--param type=inner` (the default)
/// writes one line per user and order, `user id<TAB>name<TAB>country<TAB>order id<TAB>amount`;
/// `--param type=left` also writes each user without orders, with the order
/// fields empty. Lines with too few fields are counted in `malformed lines`.
/// Ids and fields are bytes, compared and written exactly (they need not be
/// UTF-8); a line's fields after the third are kept, tab-separated.
///
/// A secondary sort: rows are keyed by (user id, is an order) and grouped by
/// the user id, so a reducer sees a user's rows before the orders and
/// streams the orders, holding only the user rows of one id.
struct Join: Job {
    typealias Map = Users
    /// The user id, whether the row is an order (users sort first), and the row's fields (so that
    /// a user's orders, and its user rows, come in the order of their bytes, however the input is split).
    typealias Key = KeyPair<Bytes, KeyPair<Bool, Bytes>>

    static var inputs: [NamedInput<Key, Row>] {
        [NamedInput("users", Users.self), NamedInput("orders", Orders.self)]
    }

    static var grouping: Grouping<Key> { .byFirst }

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
        var fields: Bytes

        func encodeValue(to writer: inout ByteWriter) {
            writer.append(self.isUser ? 1 : 0)
            self.fields.writeText(to: &writer)
        }

        static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Row {
            guard let tag = bytes.first, tag <= 1 else { throw .invalid("not a join row") }
            return Row(isUser: tag == 1, fields: Bytes(UnsafeRawBufferPointer(rebasing: bytes.dropFirst())))
        }
    }

    static let tab = UInt8(ascii: "\t")

    /// Keys users.tsv rows by their id.
    struct Users: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<Key, Row>) {
            let fields = line.fields()
            guard fields.count >= 3 else { return context.counters.increment("malformed lines") }
            let row = Row(isUser: true, fields: fields[1...].joined(separator: Join.tab))
            context.emit(Key(fields[0], KeyPair(false, row.fields)), row)
        }
    }

    /// Keys orders.tsv rows by the id of the user who ordered.
    struct Orders: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<Key, Row>) {
            let fields = line.fields()
            guard fields.count >= 3 else { return context.counters.increment("malformed lines") }
            let row = Row(isUser: false, fields: ([fields[0]] + fields[2...]).joined(separator: Join.tab))
            context.emit(Key(fields[1], KeyPair(true, row.fields)), row)
        }
    }

    struct Reduce: Reducer {
        var type = JoinType.inner

        mutating func setUp(context: inout ReduceContext) throws {
            self.type = try Parameters(context.parameters).type
        }

        /// One call per user id: its user rows first, then its orders, streamed.
        mutating func reduce(key: Key, values: ReduceValues<Row>, context: inout ReduceContext) {
            let id = key.first
            var users: [Bytes] = []
            var hasOrders = false
            for row in values {
                guard !row.isUser else {
                    users.append(row.fields)
                    continue
                }
                hasOrders = true
                for user in users { context.write(id, KeyPair(user, row.fields)) }
            }
            guard !hasOrders, self.type == .left else { return }
            for user in users { context.write(id, KeyPair(user, Bytes([Join.tab]))) }
        }
    }
}
