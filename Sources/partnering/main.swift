import PartneringCLI

await PartneringCommand.runFromCommandLine()
