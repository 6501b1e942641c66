import CheckIn
import Foundation
import PartneringCore

/// The desk sign-in page.
struct DeskLoginPageModel {
    let chrome: PageChrome
    let desk: String
    let error: String
    let hasError: Bool
}

/// The desk page: the scanner input, the answer, counters, search and the offline queue.
/// The script reads the refusal messages from the page, so that offline answers use the
/// same words as the server's.
struct DeskPageModel {
    let chrome: PageChrome
    /// The event's time zone (IANA name): the desk shows times as the organisers' pages do,
    /// whatever zone the desk's computer is set to.
    let timeZone: String
    let desk: String
    /// `{code: message}` in the page's language, JSON safe inside a `<script>` element.
    let messagesJSON: String

    static func messages(in language: Language) -> String {
        var messages = Dictionary(
            uniqueKeysWithValues: TicketRefusal.allCases.map { ($0.code, $0.message[language]) })
        messages[ScanOutcome.admittedCode] = LocalizedText(fr: "Bienvenue !", en: "Welcome!")[language]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(messages)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // "</script>" inside the JSON would end the element.
        return json.replacingOccurrences(of: "<", with: "\\u003c")
    }
}
