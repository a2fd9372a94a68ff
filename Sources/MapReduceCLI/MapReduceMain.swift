import ArgumentParser
import Foundation
import MapReduce

/// The entry point of a job executable: gives it the `run` command (and,
/// with the cluster, `master` and `worker`) for the jobs it is built with.
///
/// ```swift
/// // main.swift of a job executable
/// await MapReduceMain.run(WordCount.self)
/// ```
public enum MapReduceMain {
    /// Parses the command line and runs it for `jobs`; exits the process.
    @inlinable public static func run<each J: Job>(_ jobs: repeat (each J).Type) async {
        var erased: [AnyJob] = []
        for job in repeat each jobs { erased.append(AnyJob(job)) }
        await self.run(jobs: erased)
    }

    /// Parses the command line and runs it for `chains` (and any plain `jobs`); exits the process.
    public static func run<each C: JobChain>(chains: repeat (each C).Type, jobs: [AnyJob] = []) async {
        var erased: [AnyChain] = []
        for chain in repeat each chains { erased.append(AnyChain(chain)) }
        LargeAllocations.returnToSystem()
        JobRegistry.register(jobs: jobs, chains: erased)
        await JobCommand.main(Self.arguments)
    }

    /// Parses the command line and runs it for `jobs`; exits the process.
    public static func run(jobs: [AnyJob]) async {
        LargeAllocations.returnToSystem()
        JobRegistry.register(jobs: jobs, chains: [])
        await JobCommand.main(Self.arguments)
    }

    /// The command line's arguments, each byte kept: a file name that is not UTF-8, given
    /// directly, names that file (see `PathBytes`); `CommandLine.arguments` would alter it.
    static var arguments: [String] {
        (1..<max(1, Int(CommandLine.argc))).map { index in
            let argument = CommandLine.unsafeArgv[index]!
            return PathBytes.string(from: UnsafeRawBufferPointer(start: argument, count: strlen(argument)))
        }
    }
}

/// The root command; its name is the executable's.
struct JobCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "job") },
            abstract: "A MapReduce job executable.",
            discussion: JobRegistry.parametersHelp,
            subcommands: [RunCommand.self, MasterCommand.self, WorkerCommand.self])
    }
}
