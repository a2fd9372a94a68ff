import MapReduce

/// What a run removes of its output directory when it fails or is stopped:
/// `_temporary`, and the directory itself if the run made it; never a
/// committed output (one with `_SUCCESS`). It looks at the directory before
/// the run starts, so that it removes only what the run may have made.
struct UnfinishedOutput {
    private let directory: String
    private let existed: Bool
    /// Whether `_temporary` is the run's to remove: it was not there before, or `--overwrite` gave it to the run.
    /// A master that takes a job over (`--recover`) never owns it: it holds the journal and the task commits
    /// of the masters before, for the next to take over should this one fail.
    private let ownsTemporary: Bool

    init(_ configuration: JobConfiguration) {
        self.directory = configuration.outputDirectory
        self.existed = FileSystem.exists(self.directory)
        self.ownsTemporary =
            !configuration.resumesOutput && (configuration.overwrite || !FileSystem.exists("\(self.directory)/_temporary"))
    }

    /// Removes the unfinished output. Call it only once nothing writes there any more.
    func remove() {
        guard !FileSystem.exists("\(self.directory)/_SUCCESS") else { return }
        if !self.existed {
            FileSystem.removeTree(self.directory)
        } else if self.ownsTemporary {
            FileSystem.removeTree("\(self.directory)/_temporary")
        }
    }
}
