import MapReduceCLI

await MapReduceMain.run(ReverseLinks.self)
