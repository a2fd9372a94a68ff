/// The version of the wire protocol; both ends of a connection must speak the same one.
public enum ProtocolVersion {
    /// The version this build speaks.
    public static let current: UInt16 = 3
}
