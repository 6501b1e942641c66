import ArgumentParser
import Foundation

/// The `partnering` command: serves, schedules and administers a partnering event.
public struct PartneringCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "partnering",
        abstract: "Run a B2B partnering day: registration, scheduling, tickets and check-in.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self,
            MigrateCommand.self, BackupCommand.self, RestoreCommand.self,
            DemoCommand.self,
            ExportCommand.self,
            ImportCommand.self,
            OrganiserCommand.self, KeysCommand.self, TicketCommand.self, CheckInCommand.self,
            MailCommand.self, OutboxCommand.self,
            ScheduleCommand.self, GridCommand.self,
            BenchCommand.self,
        ]
    )

    public init() {}

    /// Parses the process's arguments and runs the chosen subcommand. Spelled out
    /// rather than `main()`, whose synchronous overload top-level code may pick.
    public static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Bad input exits with 2 everywhere in the product, usage errors included.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
