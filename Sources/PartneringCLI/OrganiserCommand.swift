import ArgumentParser
import Foundation
import PartneringCore
import Registration
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// `partnering organiser ...`: the organiser accounts of the store, shared by every server on it.
struct OrganiserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organiser",
        abstract: "Add, list, reset and remove organiser accounts (kept in the store).",
        discussion: """
            Passwords are read from the terminal without echo (typed twice), or as one line from \
            standard input when it is not a terminal, for scripts: \
            `printf '%s\\n' "$PASSWORD" | partnering organiser add jane@example.org`. \
            They have at least \(OrganiserAccounts.minimumPasswordLength) characters.
            """,
        subcommands: [Add.self, List.self, ResetPassword.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an organiser account.")

        @OptionGroup var service: ServiceOptions

        @Argument(help: "The organiser's e-mail address (the sign-in name).")
        var email: String

        func run() async throws {
            try await settingPassword(service, done: "Organiser account \(email) created.") { accounts, password in
                try await accounts.add(email: email, password: password, by: "cli")
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

        func run() async throws {
            try await settingPassword(service, done: "New password set for \(email).") { accounts, password in
                try await accounts.resetPassword(email: email, password: password, by: "cli")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an organiser account (its sessions end at their next request).")

        @OptionGroup var service: ServiceOptions

        @Argument(help: "The account's e-mail address.")
        var email: String

        func run() async throws {
            try await reportingFailures {
                try await withAccounts(service) { accounts in try await accounts.remove(email: email, by: "cli") }
                print("Organiser account \(email) removed.")
            }
        }
    }
}

/// Reads a new password (typed twice on a terminal), hands it to `change` with the accounts,
/// then prints `done`.
private func settingPassword(
    _ service: ServiceOptions, done: String, _ change: (OrganiserAccounts, String) async throws -> Void
) async throws {
    try await reportingFailures {
        let password = try PasswordPrompt.read(confirming: true)
        try await withAccounts(service) { accounts in try await change(accounts, password) }
        print(done)
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
            repository: store.organiserAccounts, hasher: PasswordHasher(), auditLog: store.auditLog,
            clock: { Date() })
        do {
            return try await body(accounts)
        } catch let error as OrganiserAccounts.AccountError {
            throw CommandFailure.badInput(error.description)
        }
    }
}

/// A password from the terminal without echo, or from standard input for scripts.
enum PasswordPrompt {
    /// Reads the password; on a terminal it is typed twice when `confirming`.
    static func read(confirming: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure.badInput("no password on standard input (one line expected)")
            }
            return line
        }
        let password = try silently("Password: ")
        if confirming, try silently("Password again: ") != password {
            throw CommandFailure.badInput("the two passwords differ")
        }
        return password
    }

    /// One line typed on the terminal with echo off, echo restored whatever happens.
    private static func silently(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw CommandFailure.failed("cannot read the terminal's settings")
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else {
            throw CommandFailure.failed("cannot turn the terminal's echo off")
        }
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else {
            throw CommandFailure.badInput("no password typed")
        }
        return line
    }
}
