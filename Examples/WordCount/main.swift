import MapReduceCLI

await MapReduceMain.run(WordCount.self)
