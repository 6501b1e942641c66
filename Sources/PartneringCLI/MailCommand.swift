import ArgumentParser
import Foundation
import Mail
import PartneringCore

/// `partnering mail ...`: look at the messages the product sends.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Preview the e-mails sent to attendees and list their placeholders.",
        subcommands: [MailPreviewCommand.self, MailKindsCommand.self]
    )
}

/// `partnering mail preview KIND --lang fr -o DIR`, or `--all`.
struct MailPreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Write sample .eml files, filled with each placeholder's sample value.",
        discussion: "Kinds: \(MessageKind.allCases.map(\.rawValue).joined(separator: ", ")).")

    @Argument(help: "The kind of message (see `partnering mail kinds`).")
    var kind: String?

    @Flag(help: "Every kind, in every language.")
    var all = false

    @Option(help: "fr or en (default: both).")
    var lang: String?

    @Option(name: [.short, .customLong("output")], help: "The folder to write the .eml files in.")
    var output: String

    @Option(help: "The templates folder (default: $PARTNERING_TEMPLATES_DIR, or ./templates).")
    var templates: String?

    func validate() throws {
        if all == (kind != nil) { throw ValidationError("Give a KIND or --all (not both).") }
        if let kind, MessageKind(rawValue: kind) == nil {
            throw ValidationError(
                "Unknown kind '\(kind)'; expected one of \(MessageKind.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        if let lang, Language(rawValue: lang) == nil {
            throw ValidationError("--lang must be fr or en, not '\(lang)'.")
        }
    }

    func run() async throws {
        let kinds = all ? MessageKind.allCases : [kind.flatMap(MessageKind.init(rawValue:))].compactMap { $0 }
        let languages = lang.flatMap(Language.init(rawValue:)).map { [$0] } ?? Language.allCases
        let composer = MailComposer(
            templates: try MailTemplates(directory: MailCLIPaths.templates(templates)),
            settings: try MailSamples.settings(), clock: { MailSamples.clockTime })
        let folder = URL(filePath: output, directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for kind in kinds {
            for language in languages {
                let message = try composer.compose(try MailSamples.draft(kind, language: language))
                let file = folder.appending(path: "\(kind.rawValue).\(language.rawValue).eml")
                try JSONFiles.writeAtomically(message.data, to: file.path)
                print("\(file.path)  \(message.subject)")
            }
        }
    }
}

/// `partnering mail kinds`: the catalogue, with placeholders and causes.
struct MailKindsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kinds", abstract: "List the kinds of message, their placeholders and causes.")

    func run() {
        print("Common placeholders (every kind):")
        for placeholder in MessageCatalogue.commonPlaceholders {
            print("  \(placeholder.name): \(placeholder.summary)")
        }
        for kind in MessageKind.allCases {
            let spec = kind.spec
            print("\n\(kind.rawValue): \(spec.summary)")
            print("  subject (fr): \(spec.subject.fr)")
            print("  subject (en): \(spec.subject.en)")
            print("  cause: \(([spec.causePrefix] + spec.causeFields.map { "{\($0)}" }).joined(separator: ":"))")
            for placeholder in spec.placeholders {
                print("  \(placeholder.name)\(placeholder.isRequired ? "" : " (optional)"): \(placeholder.summary)")
            }
            if spec.needsTicketImage { print("  + ticket QR code (PNG): inline (qr_cid) and attached") }
            switch spec.agenda {
            case .none: break
            case .bodyAndCalendar:
                print("  + agenda: meetings, cancelled_meetings, ...; agenda.ics (PUBLISH), cancelled.ics (CANCEL)")
            }
        }
    }
}

/// Where the mail commands find their folders.
enum MailCLIPaths {
    /// `--templates`, else `$PARTNERING_TEMPLATES_DIR`, else `./templates`.
    static func templates(_ option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["PARTNERING_TEMPLATES_DIR"] ?? "templates"
        return URL(filePath: path, directoryHint: .isDirectory)
    }

    /// The configured outbox (`outboxDir`, by default `<dataDir>/outbox`), read in the
    /// same layers as every other subcommand; `dataDirectory` is the `--data-dir` flag.
    static func outbox(config: String, dataDirectory: String?) async throws -> URL {
        var folder = ""
        try await reportingFailures {
            let settings = try await ServiceOptions.loadSettings(
                config: config, overrides: dataDirectory.map { [.dataDir: $0] } ?? [:])
            folder = settings.outboxDirectory
        }
        return URL(filePath: folder, directoryHint: .isDirectory)
    }
}
