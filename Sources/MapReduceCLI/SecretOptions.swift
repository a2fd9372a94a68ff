import ArgumentParser

/// How strict `master` and `worker` are about their `--secret-file`.
struct SecretOptions: ParsableArguments {
    @Flag(help: "Accept a secret file that its group or others may read (refused by default).")
    var allowReadableSecretFile = false
}
