import MapReduceCLI

await MapReduceMain.run(InvertedIndex.self)
