import PartneringCore

/// The declarations of every message kind, and of the values common to all of them.
public enum MessageCatalogue {
    /// Values every template may use; the composer fills them from `MailSettings` and the recipient.
    public static let commonPlaceholders: [Placeholder] = [
        Placeholder(
            "recipient_name", "The recipient's display name",
            sample: LocalizedText(fr: "Hélène Dupré", en: "Zoë Müller-Smith")),
        Placeholder(
            "event_name", "The event's name, in the recipient's language",
            sample: LocalizedText(fr: "Journée partenariale Oncohématologie", en: "Oncohematology Partnering Day")),
        Placeholder(
            "event_date", "The event's first day, written out",
            sample: LocalizedText(fr: "jeudi 15 octobre 2026", en: "Thursday, 15 October 2026"), required: false),
        Placeholder("venue_name", "Where the event takes place", sample: LocalizedText("Institut Curie")),
        Placeholder("venue_address", "The venue's street address", sample: LocalizedText("26 rue d’Ulm")),
        Placeholder("venue_city", "The venue's city", sample: LocalizedText("Paris")),
        Placeholder("organiser_name", "The sender's display name", sample: LocalizedText("Partnering Onco-Hémato")),
        Placeholder("organiser_email", "The sender's address", sample: LocalizedText("partnering@example.org")),
    ]

    static func spec(for kind: MessageKind) -> MessageKindSpec {
        switch kind {
        case .registrationReceived:
            MessageKindSpec(
                kind: kind, summary: "The registration arrived and waits for an organiser's approval.",
                subject: LocalizedText(
                    fr: "Inscription reçue\u{A0}: {{event_name}}", en: "Registration received: {{event_name}}"),
                placeholders: [participantID, categoryName, accessURL],
                causePrefix: "registration", causeFields: ["participant_id"], needsTicketImage: false, agenda: .none)
        case .registrationConfirmed:
            MessageKindSpec(
                kind: kind,
                summary: "The registration is confirmed: the ticket's QR code (inline and attached) and token.",
                subject: LocalizedText(fr: "Votre billet\u{A0}: {{event_name}}", en: "Your ticket for {{event_name}}"),
                placeholders: [
                    participantID, categoryName,
                    Placeholder(
                        "participant_number", "The attendee's number, printed on the badge",
                        sample: LocalizedText("042")),
                    Placeholder(
                        "ticket_token", "The signed ticket token, as text (also inside the QR code)",
                        sample: LocalizedText("PTK1.eyJwIjoicC0wNDIiLCJlIjoib25jby0yMDI2In0.MEUCIQDx3v9Zq")),
                    accessURL,
                ],
                causePrefix: "confirmation", causeFields: ["participant_id"], needsTicketImage: true, agenda: .none)
        case .accessLink:
            MessageKindSpec(
                kind: kind, summary: "A personal sign-in link (magic link).",
                subject: LocalizedText(
                    fr: "Votre lien d’accès personnel – {{event_name}}",
                    en: "Your personal access link – {{event_name}}"),
                placeholders: [
                    Placeholder(
                        "link_id", "Identifier of this link (each link is sent once)", sample: LocalizedText("lnk-7f3a")
                    ),
                    accessURL,
                    Placeholder(
                        "expires_at", "When the link stops working, written out",
                        sample: LocalizedText(
                            fr: "mercredi 14 octobre 2026 à 18:00", en: "Wednesday 14 October 2026 at 18:00")),
                ],
                causePrefix: "access-link", causeFields: ["link_id"], needsTicketImage: false, agenda: .none)
        case .requestReceived:
            MessageKindSpec(
                kind: kind, summary: "Someone asks the recipient for a meeting.",
                subject: LocalizedText(
                    fr: "Demande de rendez-vous de {{requester_name}}", en: "Meeting request from {{requester_name}}"),
                placeholders: [
                    requestID,
                    Placeholder("requester_name", "Who asks for the meeting", sample: LocalizedText("Marc Lefèvre")),
                    Placeholder(
                        "requester_organisation", "The requester's organisation", sample: LocalizedText("OncoThéra SAS")
                    ),
                    Placeholder(
                        "requester_job_title", "The requester's job title",
                        sample: LocalizedText(fr: "Directeur scientifique", en: "Chief Scientific Officer"),
                        required: false),
                    Placeholder(
                        "request_message", "The requester's message",
                        sample: LocalizedText(
                            fr: "Nous aimerions discuter de vos travaux sur les LAM & les CAR-T.",
                            en: "We would like to discuss your work on AML & CAR-T."),
                        required: false),
                    requestsURL,
                ],
                causePrefix: "request-received", causeFields: ["request_id"], needsTicketImage: false, agenda: .none)
        case .requestAccepted:
            MessageKindSpec(
                kind: kind, summary: "The recipient's meeting request was accepted.",
                subject: LocalizedText(
                    fr: "{{counterpart_name}} a accepté votre demande de rendez-vous",
                    en: "{{counterpart_name}} accepted your meeting request"),
                placeholders: [requestID, counterpartName, counterpartOrganisation, requestsURL],
                causePrefix: "request-accepted", causeFields: ["request_id"], needsTicketImage: false, agenda: .none)
        case .requestDeclined:
            MessageKindSpec(
                kind: kind, summary: "The recipient's meeting request was declined.",
                subject: LocalizedText(
                    fr: "{{counterpart_name}} a décliné votre demande de rendez-vous",
                    en: "{{counterpart_name}} declined your meeting request"),
                placeholders: [requestID, counterpartName, counterpartOrganisation, requestsURL],
                causePrefix: "request-declined", causeFields: ["request_id"], needsTicketImage: false, agenda: .none)
        case .schedulePublished:
            MessageKindSpec(
                kind: kind, summary: "The schedule is out: the personal agenda in the body and as an .ics.",
                subject: LocalizedText(
                    fr: "Votre programme de rendez-vous – {{event_name}}", en: "Your meeting schedule – {{event_name}}"),
                placeholders: [participantID, scheduleVersion, agendaURL],
                causePrefix: "schedule", causeFields: ["schedule_version", "participant_id"], needsTicketImage: false,
                agenda: .bodyAndCalendar)
        case .scheduleChanged:
            MessageKindSpec(
                kind: kind,
                summary:
                    "A new schedule version changed the recipient's meetings: updated .ics, removed meetings cancelled.",
                subject: LocalizedText(
                    fr: "Votre programme a changé – {{event_name}}", en: "Your schedule has changed – {{event_name}}"),
                placeholders: [participantID, scheduleVersion, agendaURL],
                causePrefix: "schedule", causeFields: ["schedule_version", "participant_id"], needsTicketImage: false,
                agenda: .bodyAndCalendar)
        case .waitlistPromoted:
            MessageKindSpec(
                kind: kind, summary: "A seat was freed: the recipient moves up from the waiting list.",
                subject: LocalizedText(
                    fr: "Une place s’est libérée\u{A0}: {{event_name}}", en: "A place is now available: {{event_name}}"),
                placeholders: [participantID, categoryName, accessURL],
                causePrefix: "waitlist-promotion", causeFields: ["participant_id"], needsTicketImage: false,
                agenda: .none)
        case .registrationCancelled:
            MessageKindSpec(
                kind: kind, summary: "The registration is cancelled.",
                subject: LocalizedText(
                    fr: "Inscription annulée\u{A0}: {{event_name}}", en: "Registration cancelled: {{event_name}}"),
                placeholders: [
                    participantID,
                    Placeholder(
                        "reason", "Why, when an organiser cancelled",
                        sample: LocalizedText(
                            fr: "Le nombre de places de votre catégorie a été réduit.",
                            en: "The number of seats in your category was reduced."),
                        required: false),
                ],
                causePrefix: "cancellation", causeFields: ["participant_id"], needsTicketImage: false, agenda: .none)
        case .registrationRejected:
            MessageKindSpec(
                kind: kind, summary: "An organiser refused the registration, with their reason when given.",
                subject: LocalizedText(
                    fr: "Inscription non retenue\u{A0}: {{event_name}}", en: "Registration not accepted: {{event_name}}"
                ),
                placeholders: [
                    participantID,
                    Placeholder(
                        "reason", "Why, in the organiser's words",
                        sample: LocalizedText(
                            fr: "La catégorie est complète.", en: "The category is full."),
                        required: false),
                ],
                causePrefix: "rejection", causeFields: ["participant_id"], needsTicketImage: false, agenda: .none)
        case .feedbackInvitation:
            MessageKindSpec(
                kind: kind, summary: "After the day: how did the recipient's meetings go? A link to the feedback page.",
                subject: LocalizedText(
                    fr: "Comment se sont passés vos rendez-vous\u{A0}? – {{event_name}}",
                    en: "How did your meetings go? – {{event_name}}"),
                placeholders: [
                    participantID,
                    Placeholder(
                        "meeting_count", "How many meetings the recipient had", sample: LocalizedText("6")),
                    Placeholder(
                        "feedback_url", "The link that signs the recipient in on their feedback page",
                        sample: LocalizedText("https://partnering.example.org/access/3q5v8Zk2Lw?next=/me/feedback")),
                ],
                causePrefix: "feedback", causeFields: ["participant_id"], needsTicketImage: false, agenda: .none)
        }
    }

    // Placeholders shared by several kinds.
    private static let participantID = Placeholder(
        "participant_id", "The participant's identifier", sample: LocalizedText("p-042"))
    private static let categoryName = Placeholder(
        "category_name", "The registration category",
        sample: LocalizedText(fr: "Expert académique", en: "Academic expert"))
    private static let accessURL = Placeholder(
        "access_url", "The personal sign-in link",
        sample: LocalizedText("https://partnering.example.org/access/3q5v8Zk2Lw"))
    private static let requestID = Placeholder(
        "request_id", "The meeting request's identifier", sample: LocalizedText("req-318"))
    private static let requestsURL = Placeholder(
        "requests_url", "The page listing the recipient's requests",
        sample: LocalizedText("https://partnering.example.org/requests"))
    private static let counterpartName = Placeholder(
        "counterpart_name", "The other participant", sample: LocalizedText("Dr Siobhán O’Connor"))
    private static let counterpartOrganisation = Placeholder(
        "counterpart_organisation", "The other participant's organisation",
        sample: LocalizedText(fr: "Hôpital Saint-Louis", en: "Hôpital Saint-Louis"))
    private static let scheduleVersion = Placeholder(
        "schedule_version", "The schedule version (becomes the events' SEQUENCE)", sample: LocalizedText("2"))
    private static let agendaURL = Placeholder(
        "agenda_url", "The recipient's agenda page", sample: LocalizedText("https://partnering.example.org/agenda"))
}
