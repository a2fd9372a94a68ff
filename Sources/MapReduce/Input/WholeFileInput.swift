/// A whole input file as one record, for jobs such as an inverted index
/// that need to know which file each word came from.
public struct WholeFile {
    /// The file's path as given (or as found under a directory given).
    public let path: String
    /// The file's bytes; valid only during the `map` call that receives them.
    public let contents: UnsafeRawBufferPointer
}

/// Input where each file is one record, never cut; small files are packed several to a split.
public enum WholeFileInput: InputFormat {
    public typealias Record = WholeFile

    public static func splits(of files: [InputFile], splitSize: Int64) -> [InputSplit] {
        InputSplit.packing(files, splitSize: splitSize)
    }

    public static func offset(of file: WholeFile) -> Int64 { 0 }

    public static func read(_ split: InputSplit, _ body: (WholeFile) throws -> Void) throws -> Int64 {
        let file = try FileDescriptor.open(reading: split.path)
        try split.checkUnchanged(file)
        let size = Int(split.length)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
        defer { buffer.deallocate() }
        let count = try file.read(at: 0, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size]))
        try body(WholeFile(path: split.path, contents: UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
        return Int64(count)
    }
}
