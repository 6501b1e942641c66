import ArgumentParser

/// `partnering bench ...`: the benchmarks that check the product's speed and memory targets.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed and memory against the targets of the issues.",
        subcommands: [
            TicketsBenchCommand.self, MailBenchCommand.self, SchedulerBenchCommand.self, GridBenchCommand.self,
            RegistrationsBenchCommand.self, ReplanBenchCommand.self,
        ]
    )
}
