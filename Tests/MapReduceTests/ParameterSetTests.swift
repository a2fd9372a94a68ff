import MapReduce
import Testing

@Suite struct ParameterSetTests {
    enum Mode: String, CaseIterable, ParameterValue { case fast, exact }

    struct Settings: ParameterSet {
        @Parameter(help: "what to look for") var pattern: String
        @Parameter(help: "case-blind") var ignoreCase = false
        @Parameter(in: 0...1) var damping = 0.85
        @Parameter(atLeast: 1) var rounds = 3
        @Parameter var mode = Mode.fast
        @Parameter("max-ms") var maximumMilliseconds = 100
    }

    @Test func namesTypesAndDefaultsAreDeclaredInOrder() {
        #expect(Settings.declared.map(\.name) == ["pattern", "ignore-case", "damping", "rounds", "mode", "max-ms"])
        #expect(Settings.declared.map(\.defaultValue) == [nil, "false", "0.85", "3", "fast", "100"])
        #expect(Settings.declared.map(\.type) == [
            "text", "true or false", "a number between 0.0 and 1.0", "an integer at least 1", "one of fast, exact", "an integer",
        ])
        #expect(Settings.declared[0].help == "what to look for")
    }

    @Test func givenValuesAreParsedAndTheRestTakeTheirDefaults() throws {
        let settings = try Settings(JobParameters(["pattern": "a+b", "damping": "0.5", "mode": "exact", "max-ms": "-7"]))
        #expect(settings.pattern == "a+b")
        #expect(settings.ignoreCase == false)
        #expect(settings.damping == 0.5)
        #expect(settings.rounds == 3)
        #expect(settings.mode == .exact)
        #expect(settings.maximumMilliseconds == -7)
        // Each parse has values of its own.
        let other = try Settings(JobParameters(["pattern": "c", "ignore-case": "true"]))
        #expect(other.pattern == "c" && other.ignoreCase && settings.pattern == "a+b" && !settings.ignoreCase)
    }

    @Test(arguments: [
        (["damping": "0.5"], "--param pattern is required (text)"),
        (["pattern": "x", "damping": "abc"], "parameter damping=abc is not a number"),
        (["pattern": "x", "damping": "2"], "parameter damping=2 is not between 0.0 and 1.0"),
        (["pattern": "x", "damping": "nan"], "parameter damping=nan is not a number"),
        (["pattern": "x", "ignore-case": "yes"], "parameter ignore-case=yes is not true or false"),
        (["pattern": "x", "rounds": "0"], "parameter rounds=0 is not at least 1"),
        (["pattern": "x", "rounds": "1.5"], "parameter rounds=1.5 is not an integer"),
        (["pattern": "x", "mode": "slow"], "parameter mode=slow is not one of fast, exact"),
    ])
    func aBadValueIsOneErrorNamingTheParameterAndTheValue(given: [String: String], message: String) {
        let error = #expect(throws: JobError.self) { try Settings(JobParameters(given)) }
        #expect(error?.description == message)
    }
}
