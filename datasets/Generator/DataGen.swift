import ArgumentParser

/// Makes the project's sample datasets, deterministically for a seed.
@main struct DataGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datagen",
        abstract: "Generates datasets for the examples, the same bytes for the same seed.",
        subcommands: [TextCommand.self, AccessLogCommand.self, LinksCommand.self, JoinCommand.self, TeraGenCommand.self, TeraValidateCommand.self])
}
