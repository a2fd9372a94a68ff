import MapReduce

/// Distributed grep: every line that matches a regular expression.
///
/// `--param pattern=REGEX` is a POSIX extended regular expression (as with
/// `grep -E`), matched against each line's bytes in the C locale, as
/// `LC_ALL=C grep -E` does: `.` is one byte, character classes are ASCII,
/// and bytes that are not UTF-8 are matched and written as they are. Unlike
/// GNU grep, `.` and bracket expressions do not match a NUL byte (POSIX
/// `regcomp`); a line's NUL bytes are still written.
/// `--param ignore-case=true` ignores ASCII case. Output lines are
/// `path<TAB>byte offset<TAB>line`, the line byte for byte: files in
/// byte order of their paths, and each file's lines in input order.
///
/// A map-only job by default: each map task writes its split's matches, in
/// input order, to its own part file (`part-m-NNNNN`), so the part files in
/// order hold every match in order, with no shuffle. `--reducers 1` sorts them
/// through one reduce task into one file instead.
struct Grep: Job {
    static var defaultReducers: Int? { 0 }
    struct Parameters: ParameterSet {
        @Parameter(help: "a POSIX extended regular expression, matched against bytes in the C locale (as LC_ALL=C grep -E)")
        var pattern: String
        @Parameter(help: "whether to ignore ASCII case") var ignoreCase = false
    }

    static func validate(_ parameters: JobParameters) throws {
        _ = try Self.regex(parameters)
    }

    static func regex(_ parameters: JobParameters) throws -> POSIXRegex {
        let parameters = try Parameters(parameters)
        return try POSIXRegex(parameters.pattern, ignoreCase: parameters.ignoreCase)
    }

    struct Map: Mapper {
        var regex: POSIXRegex?

        mutating func setUp(context: inout MapContext<KeyPair<Bytes, Int64>, Bytes>) throws {
            self.regex = try Grep.regex(context.parameters)
        }

        mutating func map(_ line: Line, context: inout MapContext<KeyPair<Bytes, Int64>, Bytes>) {
            if line.bytes.withUnsafeBytes(self.regex!.matches) {
                context.emit(KeyPair(context.inputPathBytes, line.offset), line.text)
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: KeyPair<Bytes, Int64>, values: ReduceValues<Bytes>, context: inout ReduceContext) {
            for line in values { context.write(key, line) }
        }
    }
}
