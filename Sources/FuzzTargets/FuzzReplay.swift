import Foundation

#if FUZZING
import CFuzzDriver
#endif

/// The `main` of a fuzz executable: hands the command line to libFuzzer when
/// built for fuzzing (`scripts/fuzz`), and otherwise runs the target over
/// the files it names, to replay a corpus or reproduce a crash.
public enum FuzzReplay {
    public static func main(
        fuzzer: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32, target: (UnsafeRawBufferPointer) -> Void
    ) throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzer))
        #else
        try self.run(CommandLine.arguments.dropFirst(), target)
        #endif
    }

    /// Runs `target` over the files at `paths`.
    public static func run(_ paths: some Sequence<String>, _ target: (UnsafeRawBufferPointer) -> Void) throws {
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { target($0) }
        }
    }
}
