import MapReduceCLI

await MapReduceMain.run(chains: PageRank.self)
