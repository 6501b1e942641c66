import ArgumentParser

/// The `partnering` command: serves, schedules and administers a partnering event.
public struct PartneringCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "partnering",
        abstract: "Run a B2B partnering day: registration, scheduling, tickets and check-in.",
        subcommands: [
            KeysCommand.self, TicketCommand.self,
            MailCommand.self, OutboxCommand.self,
            BenchCommand.self,
        ]
    )

    public init() {}
}
