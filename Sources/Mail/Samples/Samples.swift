import Foundation
import PartneringCore

/// Sample settings and drafts built from the catalogue's sample values: every kind can be
/// previewed, tested and benchmarked without a database.
public enum MailSamples {
    /// The model event: an oncohematology partnering day in Paris.
    public static func settings() throws -> MailSettings {
        let zone = TimeZone(identifier: "Europe/Paris") ?? .current
        return try MailSettings(
            sender: MailAddress("partnering@example.org", name: "Partnering Onco-Hémato"),
            replyTo: MailAddress("contact@example.org", name: "Équipe d’organisation"),
            domain: "partnering.example.org", eventID: "onco-2026",
            eventName: LocalizedText(fr: "Journée partenariale Oncohématologie", en: "Oncohematology Partnering Day"),
            eventStart: sampleDate(day: 15, hour: 9, minute: 0),
            venue: Venue(name: "Institut Curie", address: "26 rue d’Ulm", city: "Paris"), timeZone: zone)
    }

    /// The sample recipient of a language: a name with accents in both.
    public static func recipient(_ language: Language) throws -> MailAddress {
        switch language {
        case .fr: try MailAddress("helene.dupre@example.org", name: "Hélène Dupré")
        case .en: try MailAddress("zoe.muller@example.com", name: "Zoë Müller-Smith")
        }
    }

    /// A draft of `kind` with every placeholder at its sample value, the sample ticket image
    /// and a sample agenda where the kind needs them.
    public static func draft(_ kind: MessageKind, language: Language) throws -> MessageDraft {
        let spec = kind.spec
        var values: [String: String] = [:]
        for placeholder in spec.placeholders { values[placeholder.name] = placeholder.sample[language] }
        return MessageDraft(
            kind: kind, language: language, recipient: try recipient(language), values: values,
            ticketImage: spec.needsTicketImage ? SamplePNG.ticket : nil,
            agenda: spec.agenda == .none ? nil : agenda(for: kind))
    }

    /// Three meetings; the changed schedule moves one, drops one and adds one.
    public static func agenda(for kind: MessageKind) -> Agenda {
        let domain = "partnering.example.org"
        func meeting(_ other: String, _ hour: Int, _ minute: Int, _ table: String, _ person: AgendaPerson)
            -> AgendaMeeting
        {
            AgendaMeeting(
                uid: AgendaMeeting.uid(event: "onco-2026", participants: ["p-042", other], domain: domain),
                start: sampleDate(day: 15, hour: hour, minute: minute),
                end: sampleDate(day: 15, hour: hour, minute: minute + 20), table: table, counterpart: person)
        }
        let marc = AgendaPerson(
            name: "Marc Lefèvre", organisation: "OncoThéra SAS", jobTitle: "Directeur scientifique",
            email: "marc.lefevre@example.com")
        let siobhan = AgendaPerson(
            name: "Dr Siobhán O’Connor", organisation: "Hôpital Saint-Louis", jobTitle: "Hématologue")
        let ana = AgendaPerson(
            name: "Ana Souza", organisation: "Lymphoma Biotech; Paris, Lyon", jobTitle: "VP Business Development")
        let yuki = AgendaPerson(name: "Yuki Tanaka", organisation: "CellCure Europe")
        switch kind {
        case .scheduleChanged:
            return Agenda(
                meetings: [
                    meeting("p-007", 9, 40, "Table 4", marc), meeting("p-019", 11, 0, "Table 12", siobhan),
                    meeting("p-031", 14, 20, "Table 7", yuki),
                ],
                cancelled: [meeting("p-023", 10, 0, "Table 2", ana)])
        default:
            return Agenda(meetings: [
                meeting("p-007", 9, 0, "Table 4", marc), meeting("p-023", 10, 0, "Table 2", ana),
                meeting("p-019", 11, 0, "Table 12", siobhan),
            ])
        }
    }

    /// The fixed time of previews: 1 October 2026, 10:00 in Paris.
    public static let clockTime: Date = sampleDate(day: 1, month: 10, hour: 10, minute: 0)

    private static func sampleDate(day: Int, month: Int = 10, hour: Int, minute: Int) -> Date {
        let calendar = Calendar.gregorian(in: TimeZone(identifier: "Europe/Paris") ?? .current)
        let components = DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}
