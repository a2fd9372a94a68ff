/// An attempt stopped because it was asked to (`AttemptControl.cancel`):
/// another attempt won, the job is over, or the process is stopping.
public struct AttemptCancelled: Error, Hashable, CustomStringConvertible {
    /// Makes the error.
    @inlinable public init() {}

    /// `the attempt was cancelled`.
    public var description: String { "the attempt was cancelled" }
}
