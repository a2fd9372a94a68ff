/// Runs a chain's jobs one after another in this process.
public struct InProcessChainRunner: ChainRunner {
    /// The chain's settings, which every job of it starts from.
    public let configuration: JobConfiguration
    /// The chain's parameters, checked.
    public let parameters: JobParameters

    /// Makes a runner of a chain's jobs with the chain's settings and checked parameters.
    public init(configuration: JobConfiguration, parameters: JobParameters) {
        self.configuration = configuration
        self.parameters = parameters
    }

    /// Runs `job` to completion in this process, with an `InProcessRunner`.
    public func run(_ job: AnyJob, inputs: [String], output: String, parameters: [String: String]) async throws -> JobReport {
        try await InProcessRunner(job: job, configuration: self.configuration.step(inputs: inputs, output: output, parameters: parameters)).run()
    }
}

extension JobConfiguration {
    /// The settings of one job of a chain: these inputs, output and job parameters, and the rest of this.
    public func step(inputs: [String], output: String, parameters: [String: String]) -> JobConfiguration {
        var step = self
        step.inputs = inputs
        step.namedInputs = [:]
        step.outputDirectory = output
        step.parameters = parameters
        step.overwrite = false
        return step
    }

    /// Checks the chain parameters against `chain`'s declared ones and fills in their defaults.
    public func chainParameters(for chain: AnyChain) throws -> JobParameters {
        let parameters = try Self.check(self.parameters, against: chain.parameters, of: chain.name)
        try chain.validate(parameters)
        return parameters
    }
}
