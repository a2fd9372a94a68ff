import MapReduceCLI

await MapReduceMain.run(TopN.self)
