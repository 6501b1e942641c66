import Foundation
import PartneringCore
import Registration

/// One choice of a checkbox group or a select.
struct Option {
    let value: String
    let label: String
    let checked: Bool
}

/// A group of topics for the form.
struct TopicGroupOptions {
    let name: String
    let topics: [Option]
}

/// The participant fields shared by the registration and profile forms: values as
/// entered, messages next to fields, and the choices offered.
struct ParticipantFormModel {
    let values: [String: String]
    /// Messages per field name; an empty array means no message.
    let errors: [String: [String]]
    let hasErrors: Bool
    let topicGroups: [TopicGroupOptions]
    let sessions: [Option]
    let countries: [Option]
    let languageOptions: [Option]
    let categories: [Option]
    let hasCategories: Bool
    let acceptPrivacy: Bool
    let listInDirectory: Bool
    let slotCount: Int
    let defaultMaxMeetings: Int
    /// Whether the e-mail address can be entered (registration) or is fixed (profile).
    let editableEmail: Bool

    init(
        form: RegistrationForm, issues: [FieldIssue], event: EventDefinition, role: Role, language: Language,
        editableEmail: Bool, extraErrors: [String: String] = [:]
    ) {
        values = [
            "name": form.name, "email": form.email, "organisation": form.organisation, "jobTitle": form.jobTitle,
            "phone": form.phone, "profile": form.profile, "maxMeetings": form.maxMeetings,
        ]
        var errors: [String: [String]] = [:]
        for issue in issues { errors[issue.field, default: []].append(issue.message(in: language)) }
        for (field, message) in extraErrors { errors[field, default: []].append(message) }
        self.errors = errors
        hasErrors = !errors.isEmpty
        let chosenTopics = Set(form.topics)
        topicGroups = event.topics.map { group in
            TopicGroupOptions(
                name: group.name[language],
                topics: group.topics.map {
                    Option(
                        value: $0.id.rawValue, label: $0.name[language], checked: chosenTopics.contains($0.id.rawValue))
                })
        }
        let presentation = EventPresentation(event: event, language: language)
        let chosenSessions = Set(form.sessions)
        sessions = event.sessions.map { session in
            Option(
                value: session.id,
                label:
                    "\(session.name[language]) (\(presentation.time(session.start))–\(presentation.time(session.end)))",
                checked: chosenSessions.contains(session.id))
        }
        let country = form.country.uppercased()
        countries = Countries.list(languageCode: language.rawValue).map {
            Option(value: $0.code, label: $0.name, checked: $0.code == country)
        }
        let chosenLanguage = form.language.isEmpty ? language.rawValue : form.language
        languageOptions = event.languages.map {
            Option(
                value: $0.rawValue, label: $0 == .fr ? "Français" : "English", checked: $0.rawValue == chosenLanguage)
        }
        let roleCategories = event.categories.filter { $0.role == role }
        categories = roleCategories.map {
            Option(value: $0.id.rawValue, label: $0.name[language], checked: $0.id.rawValue == form.category)
        }
        hasCategories = roleCategories.count > 1
        acceptPrivacy = form.acceptPrivacy
        listInDirectory = form.listInDirectory
        slotCount = event.slots.count
        defaultMaxMeetings = event.requestRules.defaultMaxMeetings
        self.editableEmail = editableEmail
    }

    /// Reads the fields of a submitted form.
    static func form(from data: FormData) -> RegistrationForm {
        RegistrationForm(
            name: data["name"], email: data["email"], organisation: data["organisation"], jobTitle: data["jobTitle"],
            country: data["country"], phone: data["phone"], topics: data.all("topics"), profile: data["profile"],
            sessions: data.all("sessions"), slots: data.all("slots"), maxMeetings: data["maxMeetings"],
            language: data["language"], category: data["category"], acceptPrivacy: data.isChecked("acceptPrivacy"),
            listInDirectory: data.isChecked("listInDirectory"))
    }
}

/// The registration page of one role.
struct RegisterPageModel {
    let chrome: PageChrome
    let role: String
    let roleName: String
    let needsApproval: Bool
    let form: ParticipantFormModel
    /// A one-time value that makes a double submit register once (idempotency key).
    let submission: String
}

/// The page after registering.
struct RegisteredPageModel {
    let chrome: PageChrome
    let name: String
    let number: Int
    let isConfirmed: Bool
    let isPending: Bool
    let isWaitlisted: Bool
    let waitlistPosition: Int
    let categoryName: String
}

/// The page that sends an access link.
struct AccessPageModel {
    let chrome: PageChrome
    let email: String
    let errors: [String: [String]]
    let sent: Bool
    /// Where the link leads after sign-in (a same-site path), carried by the form.
    var next: String = ""
    /// Shown instead of a personal page to someone not signed in.
    var signInNeeded: Bool = false
}
