import MapReduceCLI

await MapReduceMain.run(TeraSort.self)
