import Foundation
import Hummingbird
import HummingbirdTesting
import Mail
import PartneringCore
import PartneringServer
import Testing

/// Every page and e-mail in French and in English, rendered with real data, read as a person
/// reads it (the text and the accessible labels, not the markup): no word of the other
/// language, no status code, no "(s)" pseudo-plural.
@Suite("Each language's output is in that language")
struct LanguageOutputTests {
    /// English words that leaked into French output before (statuses, roles, the
    /// scheduler's words). "expert" is missing on purpose: it is French too.
    static let englishWords = [
        "pending", "accepted", "declined", "confirmed", "waitlisted", "rejected", "cancelled", "withdrawn",
        "company", "companies", "run", "by", "meeting", "meetings", "schedule", "search", "status", "registered",
        "done", "weight", "objective", "upper bound", "version of", "not found", "sign in", "sign-in",
    ]

    /// French words that would betray an untranslated English page (user data in the English
    /// walk is English, so that only the product's own words can match).
    static let frenchWords = [
        "inscription", "inscriptions", "rendez-vous", "demande", "demandes", "créneau", "créneaux", "annuaire",
        "profil", "connexion", "confirmée", "confirmé", "en attente", "refusée", "annulée", "entreprise",
        "entreprises", "votre", "vos", "mon espace", "enregistrer", "envoyer", "accepter", "refuser", "publier",
        "aucun", "aucune", "jeudi", "mars", "avis", "réponses", "participants ayant", "tableau", "table n",
        "programme du", "déconnexion", "disponibilités", "billet", "à corriger",
    ]

    /// What a person reads on `html`: text between tags and the labels that assistive
    /// technology reads out, without scripts and styles; entities decoded.
    static func readable(_ html: String) -> String {
        var text = html
        for pattern in [#"<script\b[^>]*>[\s\S]*?</script>"#, #"<style\b[^>]*>[\s\S]*?</style>"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        var labels: [String] = []
        let expression = try? NSRegularExpression(pattern: #"(?:aria-label|title|alt|placeholder)="([^"]*)""#)
        for match in expression?.matches(in: text, range: NSRange(text.startIndex..., in: text)) ?? [] {
            if let range = Range(match.range(at: 1), in: text) { labels.append(String(text[range])) }
        }
        text = text.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
        text = ([text] + labels).joined(separator: " ")
        for (entity, character) in [
            ("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&"),
        ] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// The problems of a text in `language`: words of the other language, codes
    /// (`not_signed_in`), pseudo-plurals.
    static func problems(of text: String, in language: Language = .fr) -> [String] {
        var found: [String] = []
        for word in language == .fr ? englishWords : frenchWords {
            let pattern =
                "(?i)(?<![\\p{L}@./-])" + NSRegularExpression.escapedPattern(for: word) + "(?![\\p{L}@/-]|\\.\\w)"
            if let range = text.range(of: pattern, options: .regularExpression) {
                let start = text.index(range.lowerBound, offsetBy: -30, limitedBy: text.startIndex) ?? text.startIndex
                let end = text.index(range.upperBound, offsetBy: 30, limitedBy: text.endIndex) ?? text.endIndex
                found.append("\(language == .fr ? "English" : "French") \"\(word)\": …\(text[start..<end])…")
            }
        }
        if let range = text.range(of: #"(?<![\w@./-])[a-z]+_[a-z_]+(?![\w@.-])"#, options: .regularExpression) {
            found.append("code \"\(text[range])\"")
        }
        if let range = text.range(of: #"\p{L}\((s|e|es)\)"#, options: .regularExpression) {
            found.append("pseudo-plural \"\(text[range])\"")
        }
        return found
    }

    @Test("the checker finds what it looks for")
    func checker() {
        #expect(Self.problems(of: "Statut : pending").count == 1)
        #expect(Self.problems(of: "Status: en attente, 2 demandes", in: .en).count == 2)
        #expect(Self.problems(of: "Your registration is confirmed: see your meetings.", in: .en).isEmpty)
        #expect(Self.problems(of: "3 participant(s)").count == 1)
        #expect(Self.problems(of: "code not_signed_in").count == 1)
        #expect(Self.problems(of: "run — by organiser").count == 2)
        #expect(Self.problems(of: "Fichier cancelled.ics joint.").isEmpty)
        #expect(Self.problems(of: "Expert académique · délégué@entreprise.fr · /organiser/schedule").isEmpty)
    }

    @Test("every e-mail, subject and text, in its language", arguments: [Language.fr, .en])
    func mails(_ language: Language) throws {
        let composer = MailComposer(
            templates: try MailTemplates(directory: TestEnvironment.repositoryRoot.appendingPathComponent("templates")),
            settings: try MailSamples.settings(), clock: { MailSamples.clockTime })
        for kind in MessageKind.allCases {
            let message = try composer.compose(try MailSamples.draft(kind, language: language))
            #expect(Self.problems(of: message.subject + "\n" + message.textBody, in: language) == [], "\(kind)")
        }
    }

    @Test(
        "every page of the attendee, the organiser and the scheduling workspace, in its language",
        arguments: [Language.fr, .en])
    func pages(_ language: Language) async throws {
        let lang = language.rawValue
        // In the English walk, what people type is English too.
        @Sendable func typed(_ fields: [(String, String)]) -> [(String, String)] {
            guard language == .en else { return fields }
            let english = [
                "organisation": "OncoThera Ltd", "jobTitle": "Chief scientist", "profile": "Cell therapies in AML.",
                "language": "en",
            ]
            return fields.map { ($0.0, english[$0.0] ?? $0.1) }
        }
        try await RegistrationServer.with(.sqlite, expertsNeedApproval: true) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                var rendered: [String: String] = [:]
                func read(_ template: String, _ page: Browser.Page, status: HTTPResponse.Status = .ok) {
                    #expect(page.status == status, "\(template)")
                    rendered[template] = Self.readable(page.body)
                }
                let visitor = Browser(client)
                read("home", try await visitor.get("/?lang=\(lang)"))
                read("access", try await visitor.get("/access"))
                read("problem", try await visitor.get("/me"), status: .unauthorized)

                let company = Browser(client)
                let form = try await company.get("/register/company?lang=\(lang)")
                read("register", form)
                read(
                    "registered",
                    try await company.post("/register/company", typed(registrationFields(csrf: form.csrf))),
                    status: .created)
                let expert = Browser(client)
                let expertForm = try await expert.get("/register/expert?lang=\(lang)")
                _ = try await expert.post(
                    "/register/expert",
                    typed(registrationFields(name: "Zoë Müller", email: "zoe@example.org", csrf: expertForm.csrf)))
                let store = server.environment.store
                let companyID = try #require(try await store.participants.find(email: "helene@example.org")?.id)
                let expertID = try #require(try await store.participants.find(email: "zoe@example.org")?.id)

                let organiser = try await server.signInOrganiser(client)
                let list = try await organiser.get("/organiser/registrations?lang=\(lang)")
                read("organiser-registrations", list)
                let approved = try await organiser.post(
                    "/organiser/registrations/\(expertID.rawValue)/approve",
                    [("_csrf", list.csrf), ("return", "/organiser/registrations")])
                #expect(approved.status == .seeOther)
                _ = try await store.requests.create(
                    MeetingRequest(
                        id: RequestID("r-fr"), from: companyID, to: expertID, priority: .first,
                        message: language == .fr ? "Bonjour" : "Hello",
                        status: .pending, createdAt: RegistrationServer.start),
                    openRequestLimit: nil)

                read("me", try await company.get("/me"))
                read("profile", try await company.get("/me/profile"))
                read("availability", try await company.get("/me/availability"))
                read("directory", try await company.get("/me/directory"))
                read("request-new", try await company.get("/me/directory/\(expertID.rawValue)"))
                read("requests", try await company.get("/me/requests"))
                read("request", try await company.get("/me/requests/r-fr"))
                read("person", try await company.get("/me/people/\(expertID.rawValue)"))
                read("ticket", try await company.get("/me/ticket"))
                read("confirm", try await company.get("/me/cancel"))

                read("organiser-login", try await Browser(client).get("/organiser/login?lang=\(lang)"))
                read("organiser-home", try await organiser.get("/organiser?lang=\(lang)"))
                read("organiser-registration", try await organiser.get("/organiser/registrations/\(expertID.rawValue)"))
                read("organiser-audit", try await organiser.get("/organiser/audit"))
                read("organiser-boards", try await organiser.get("/organiser/boards"))
                read("badges", try await organiser.get("/organiser/badges"))
                read("desk-login", try await Browser(client).get("/desk/login?lang=\(lang)"))
                let start = try await organiser.get("/organiser/schedule")
                read("organiser-schedule", start)

                // A schedule of the accepted request: the version, a person and the publication.
                _ = try await expert.get("/me")
                let request = try await expert.get("/me/requests/r-fr")
                _ = try await expert.post("/me/requests/r-fr/accept", [("_csrf", request.csrf)])
                _ = try await organiser.post("/organiser/schedule/run", [("_csrf", start.csrf), ("timeLimit", "1")])
                for _ in 0..<300 where try await store.schedules.versions().isEmpty {
                    try await Task.sleep(for: .milliseconds(50))
                }
                read("organiser-schedule-version", try await organiser.get("/organiser/schedule/versions/1"))
                read(
                    "organiser-schedule-person",
                    try await organiser.get("/organiser/schedule/versions/1/people/\(companyID.rawValue)"))
                read("organiser-schedule-publication", try await organiser.get("/organiser/schedule/publication/1"))
                read("organiser-schedule-compare", try await organiser.get("/organiser/schedule/compare?from=1&to=1"))
                read("feedback", try await company.get("/me/feedback"))
                read("organiser-feedback", try await organiser.get("/organiser/feedback"))
                read("organiser-report", try await organiser.get("/organiser/report"))
                // The printable views of the version (the grid module's own HTML).
                for view in ["grid.html", "agendas.html", "tables.html", "no-meetings.html"] {
                    read("view " + view, try await organiser.get("/organiser/schedule/versions/1/\(view)"))
                }
                // The live page, then, once the version is published, the re-plan's preview.
                let live = try await organiser.get("/organiser/live")
                read("organiser-live", live)
                _ = try await organiser.post(
                    "/organiser/schedule/versions/1/publish", [("_csrf", live.csrf), ("confirm", "yes")])
                read("organiser-live-replan", try await organiser.get("/organiser/live/replan"))

                // Every page template is walked, but the partials and the pages of the desk
                // and of the hall boards (their own sign-in: covered by their own tests).
                let folder = TestEnvironment.repositoryRoot.appendingPathComponent("templates/pages/\(lang)")
                let partials: Set = [
                    "layout", "area-nav", "organiser-nav", "participant-fields", "request-status",
                    "availability-fields",
                ]
                let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                    .map { $0.replacingOccurrences(of: ".mustache", with: "") }
                    .filter { !partials.contains($0) && $0 != "desk" && $0 != "board" }
                #expect(Set(pages).subtracting(rendered.keys) == [], "templates not walked")
                #expect(rendered.count == pages.count + 4)
                for (template, text) in rendered.sorted(by: { $0.key < $1.key }) {
                    #expect(Self.problems(of: text, in: language) == [], "\(template)")
                }
            }
        }
    }
}
