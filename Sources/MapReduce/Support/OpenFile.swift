/// A file held open by a reference, so that closures and classes can share it.
public final class OpenFile {
    /// The open file.
    public let descriptor: FileDescriptor

    /// Opens `path` for reading.
    public init(path: String) throws {
        self.descriptor = try .open(reading: path)
    }
}
