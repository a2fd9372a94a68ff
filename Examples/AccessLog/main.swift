import MapReduceCLI

await MapReduceMain.run(AccessLog.self)
