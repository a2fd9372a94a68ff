import Foundation

/// Runs a fuzz target over files, as a regression test or to reproduce a crash.
public enum FuzzReplay {
    public static func run(_ paths: some Sequence<String>, _ target: (UnsafeRawBufferPointer) -> Void) throws {
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { target($0) }
        }
    }
}
