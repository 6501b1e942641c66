import ArgumentParser
import Foundation
import PartneringCore
import Registration
import Storage

/// `partnering organiser ...`: the organiser accounts of the store, shared by every server on it.
struct OrganiserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organiser",
        abstract: "Add, list, reset and remove organiser accounts (kept in the store).",
        discussion: """
            Passwords are never given on the command line (where `ps` and the shell history show \
            them): they are read from --password-file, from the terminal without echo (typed twice), or \
            as one line from standard input when it is not a terminal, for scripts: \
            `printf '%s\\n' "$PASSWORD" | partnering organiser add jane@example.org`. \
            They have at least \(OrganiserAccounts.minimumPasswordLength) characters. A new password or a \
            removal ends the account's open sessions and API tokens on every server at once.
            """,
        subcommands: [Add.self, List.self, ResetPassword.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an organiser account.")

        @OptionGroup var service: ServiceOptions

        @Argument(help: "The organiser's e-mail address (the sign-in name).")
        var email: String

        @Option(help: "A file whose one line is the password (instead of the terminal or standard input).")
        var passwordFile: String?

        func run() async throws {
            try await settingPassword(service, file: passwordFile) { accounts, password in
                try await accounts.add(email: email, password: password, by: "cli")
                return "Organiser account \(email) created."
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the organiser accounts.")

        @OptionGroup var service: ServiceOptions

        func run() async throws {
            try await reportingFailures {
                let accounts = try await withAccounts(service) { try await $0.list() }
                for account in accounts {
                    print("\(account.email)\tcreated \(account.createdAt.formatted(.iso8601))")
                }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Give an organiser account a new password.")

        @OptionGroup var service: ServiceOptions

        @Argument(help: "The account's e-mail address.")
        var email: String

        @Option(help: "A file whose one line is the password (instead of the terminal or standard input).")
        var passwordFile: String?

        func run() async throws {
            try await settingPassword(service, file: passwordFile) { accounts, password in
                let ended = try await accounts.resetPassword(email: email, password: password, by: "cli")
                return "New password set for \(email); \(ended) open session(s) ended."
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an organiser account (its sessions and API tokens end at once).")

        @OptionGroup var service: ServiceOptions

        @Argument(help: "The account's e-mail address.")
        var email: String

        func run() async throws {
            try await reportingFailures {
                let ended = try await withAccounts(service) { accounts in
                    try await accounts.remove(email: email, by: "cli")
                }
                print("Organiser account \(email) removed; \(ended) open session(s) ended.")
            }
        }
    }
}

/// Reads a new password (from `file`, or typed twice on a terminal), hands it to `change` with
/// the accounts, then prints what `change` returns.
private func settingPassword(
    _ service: ServiceOptions, file: String?, _ change: (OrganiserAccounts, String) async throws -> String
) async throws {
    try await reportingFailures {
        let password = try SecretInput.read("Password", file: file, confirming: true)
        print(try await withAccounts(service) { accounts in try await change(accounts, password) })
    }
}

/// Runs `body` with the organiser accounts of the configured store; their refusals (duplicate,
/// unknown, weak password) are bad input.
private func withAccounts<Result>(
    _ service: ServiceOptions, _ body: (OrganiserAccounts) async throws -> Result
) async throws -> Result {
    let settings = try await service.settings()
    return try await withStore(settings) { store in
        let accounts = OrganiserAccounts(
            repository: store.organiserAccounts, hasher: PasswordHasher(), sessions: store.sessions,
            clock: { Date() })
        do {
            return try await body(accounts)
        } catch let error as OrganiserAccounts.AccountError {
            throw CommandFailure.badInput(error.description)
        }
    }
}
