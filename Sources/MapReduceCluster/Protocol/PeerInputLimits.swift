/// The bounds every message from a peer is checked against before anything acts on it
/// (docs/wire-protocol.md, "Validation").
public enum PeerInputLimits {
    /// The most slots a worker may offer.
    public static let maxSlots = 256
    /// Task numbers are below this, and a job has at most this many map or reduce tasks.
    public static let maxTasks = 1 << 20
    /// Attempt and job numbers are at most this.
    public static let maxSequenceNumber = 1 << 30
    /// The longest host name (DNS allows 253 characters).
    public static let maxHostNameLength = 253
    /// Free text (error messages, reasons) is cut to this many characters and made one line.
    public static let maxTextLength = 1000
    /// The most counters of each kind in one report.
    public static let maxCounters = 1000
    /// The longest counter or job name.
    public static let maxNameLength = 200
    /// The deepest nesting of JSON arrays and objects in a body (the protocol's own go 6 deep).
    public static let maxJSONDepth = 32
    /// The largest JSON body a worker may send the master (a frame may be 64 MiB).
    public static let maxWorkerMessageLength = 8 << 20
    /// The longest map output segment a shuffle service may announce: 1 TiB.
    public static let maxSegmentLength: Int64 = 1 << 40
    /// The largest sort buffer a job may ask a worker for: 64 GiB.
    public static let maxSortBufferBytes = 64 << 30
}
