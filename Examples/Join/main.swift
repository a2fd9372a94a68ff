import MapReduceCLI

await MapReduceMain.run(Join.self)
