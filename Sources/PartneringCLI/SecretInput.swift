import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A secret (an organiser's password, the desks' passcode) read from a file, from the terminal
/// without echo, or from standard input: never from the command line, where `ps` and the
/// shell's history would show it.
enum SecretInput {
    /// Reads the secret called `label` ("Password", "Desk passcode"): the one line of `file`
    /// when given; else typed on the terminal without echo (twice when `confirming`); else one
    /// line of standard input, for scripts. Empty input is bad input.
    static func read(_ label: String, file: String?, confirming: Bool) throws -> String {
        if let file { return try line(of: file, label) }
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure.badInput(
                    "no \(label.lowercased()) on standard input (one line expected)")
            }
            return line
        }
        let secret = try silently("\(label): ")
        guard !secret.isEmpty else { throw CommandFailure.badInput("no \(label.lowercased()) typed") }
        if confirming, try silently("\(label) again: ") != secret {
            throw CommandFailure.badInput("the two entries differ")
        }
        return secret
    }

    /// The one line of `path`, its final line break aside.
    private static func line(of path: String, _ label: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CommandFailure.badInput("cannot read \(path): \(error.localizedDescription)")
        }
        var text = String(decoding: data, as: UTF8.self)
        // One final line break, "\n" or "\r\n" (one Character in Swift).
        if text.last?.isNewline == true { text.removeLast() }
        guard !text.isEmpty else {
            throw CommandFailure.badInput("\(path) is empty: it should hold the \(label.lowercased())")
        }
        guard !text.contains(where: \.isNewline) else {
            throw CommandFailure.badInput(
                "\(path) holds more than one line: it should hold the \(label.lowercased()) alone")
        }
        return text
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
            throw CommandFailure.badInput("nothing typed")
        }
        return line
    }
}
