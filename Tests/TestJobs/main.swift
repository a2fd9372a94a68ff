import MapReduceCLI

await MapReduceMain.run(
    FailingMap.self, Rendezvous.self, Paced.self, Crash.self, Tamper.self, EnvironmentProbe.self, ReadingsJob<Tally>.self, ReadingsJob<JSONTally>.self)
