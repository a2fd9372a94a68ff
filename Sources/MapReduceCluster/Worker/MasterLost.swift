/// The connection to the master was lost after registering: closed, or silent.
struct MasterLost: Error, CustomStringConvertible {
    var reason: String
    var description: String { self.reason }
}
