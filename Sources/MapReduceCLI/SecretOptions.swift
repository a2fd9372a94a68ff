import ArgumentParser
import MapReduce
import MapReduceCluster

/// How strict `master` and `worker` are about their `--secret-file`.
struct SecretOptions: ParsableArguments {
    @Flag(help: "Accept a secret file that its group or others may read (refused by default).")
    var allowReadableSecretFile = false

    /// The secret of `command` (`master` or `worker`): read from `file` if one is given, otherwise the
    /// one `run` hands its processes in the environment (taken out of it at the start, as `fromEnvironment`).
    func secret(file: String?, fromEnvironment: Result<Secret?, any Error>, for command: String) throws -> Secret {
        if let file { return try Secret(file: file, allowReadable: self.allowReadableSecretFile) }
        guard let secret = try fromEnvironment.get() else {
            throw JobError("a \(command) needs --secret-file (or \(Secret.environmentVariable) in its environment)")
        }
        return secret
    }
}
