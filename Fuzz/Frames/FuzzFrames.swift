import FuzzTargets
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    FuzzTargets.frames(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

#if FUZZING
import CFuzzDriver

/// Built with `scripts/fuzz`: hands the command line to libFuzzer.
@main enum Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzz($0, $1) })
    }
}
#else
/// Without libFuzzer: runs the target over the files named on the command line.
@main enum Replay {
    static func main() throws {
        try FuzzReplay.run(CommandLine.arguments.dropFirst()) { FuzzTargets.frames($0) }
    }
}
#endif
