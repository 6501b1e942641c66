import PartneringCLI

await PartneringCommand.main()
