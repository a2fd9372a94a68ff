import MapReduceCLI

await MapReduceMain.run(Grep.self)
