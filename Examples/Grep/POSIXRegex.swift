#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import MapReduce

/// A compiled POSIX extended regular expression, matched against bytes.
final class POSIXRegex {
    private var compiled = regex_t()

    struct InvalidPattern: Error, CustomStringConvertible {
        var description: String
    }

    init(_ pattern: String, ignoreCase: Bool) throws {
        let flags = REG_EXTENDED | REG_NOSUB | (ignoreCase ? REG_ICASE : 0)
        // The pattern's bytes: a byte that is not UTF-8, given on the command line, is matched as that byte.
        let code = PathBytes.withCString(pattern) { regcomp(&self.compiled, $0, flags) }
        guard code == 0 else {
            var message = [CChar](repeating: 0, count: 256)
            regerror(code, &self.compiled, &message, message.count)
            throw InvalidPattern(description: "invalid pattern \(PathBytes.display(pattern)): \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
    }

    deinit {
        regfree(&self.compiled)
    }

    /// Whether the pattern matches somewhere in `bytes` (which may hold NUL bytes).
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // REG_STARTEND: the range is given in pmatch[0], so no NUL terminator is needed.
        var range = regmatch_t(rm_so: 0, rm_eo: regoff_t(bytes.count))
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            return regexec(&self.compiled, "", 1, &range, REG_STARTEND) == 0
        }
        return regexec(&self.compiled, base, 1, &range, REG_STARTEND) == 0
    }
}
