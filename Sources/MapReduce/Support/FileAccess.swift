#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may read what the framework creates.
public enum FileAccess: Sendable {
    /// The user alone (directories 0700, files 0600), whatever the umask: work
    /// directories, spills, map outputs, fetched segments, `_temporary`.
    case ownerOnly
    /// Whoever the user's umask lets in (0777 and 0666 less the umask): the job's output.
    case umask

    var directoryMode: mode_t { self == .ownerOnly ? 0o700 : 0o777 }
    var fileMode: mode_t { self == .ownerOnly ? 0o600 : 0o666 }
}
