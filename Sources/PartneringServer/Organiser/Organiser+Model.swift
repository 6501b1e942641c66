import Foundation
import PartneringCore
import Registration

/// The organiser's sign-in page.
struct OrganiserLoginPageModel {
    let chrome: PageChrome
    let email: String
    let error: String
    let hasError: Bool
}

/// One horizontal bar of an SVG chart: its label, value and length in chart units.
struct BarLine {
    let label: String
    let value: Int
    let detail: String
    let y: Int
    let textY: Int
    let width: Int
}

/// A bar chart drawn as SVG by the template.
struct BarChart {
    let bars: [BarLine]
    let height: Int
    let hasBars: Bool

    /// Bars of `values` scaled to a chart 600 units wide.
    init(_ values: [(label: String, value: Int, detail: String)], maximum: Int? = nil) {
        let top = max(1, maximum ?? values.map(\.value).max() ?? 1)
        bars = values.enumerated().map { index, line in
            BarLine(
                label: line.label, value: line.value, detail: line.detail, y: index * 28, textY: index * 28 + 17,
                width: max(line.value > 0 ? 2 : 0, line.value * 380 / top))
        }
        height = max(28, values.count * 28)
        hasBars = !values.isEmpty
    }
}

/// Seats and lines of a category on the dashboard.
struct OccupancyLine {
    let name: String
    let capacity: Int
    let confirmed: Int
    let pending: Int
    let waitlisted: Int
    let free: Int
    let percent: Int
    let chart: BarChart
}

/// The organiser dashboard: capacities and waiting lists, requests overview.
struct OrganiserHomePageModel {
    let chrome: PageChrome
    let organiser: String
    let categories: [OccupancyLine]
    let requestTotal: Int
    let requestsByStatus: BarChart
    let acceptanceRate: String
    let mostRequested: [MostRequestedGroup]
}

struct MostRequestedGroup {
    let roleName: String
    let chart: BarChart
}

/// One registration in the back-office list.
struct RegistrationLine {
    let id: String
    let number: Int
    let name: String
    let email: String
    let organisation: String
    let roleName: String
    let categoryName: String
    let status: String
    let statusName: String
    let registered: String
    let canApprove: Bool
    let canReject: Bool
}

/// A column header of the registration list: a link that sorts by it (again: the other way).
struct SortHeader {
    let href: String
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    let ariaSort: String
    let isSorted: Bool
    let isDescending: Bool
}

/// The registration list: filters, one page of rows, pager and the result of the last action.
struct OrganiserRegistrationsPageModel {
    let chrome: PageChrome
    let text: String
    let statuses: [Option]
    let roles: [Option]
    let categories: [Option]
    /// The order kept when the filters change (`sort`, `dir`).
    let sortValue: String
    let directionValue: String
    let sortNumber: SortHeader
    let sortName: SortHeader
    let sortOrganisation: SortHeader
    let sortStatus: SortHeader
    let sortRegistered: SortHeader
    let registrations: [RegistrationLine]
    let hasRegistrations: Bool
    /// "272 inscriptions, 1–50".
    let countText: String
    let pager: ListPager
    /// This list's address (filters, order, page): where actions come back to.
    let listPath: String
    let csvQuery: String
    let notice: String
    let hasNotice: Bool
}

/// One line of a registration's history (its audit entries).
struct HistoryLine {
    let time: String
    let actor: String
    let action: String
    let details: String
}

/// The organisers' page of one registration.
struct OrganiserRegistrationPageModel {
    let chrome: PageChrome
    let id: String
    let number: Int
    let name: String
    let email: String
    let organisation: String
    let jobTitle: String
    let country: String
    let phone: String
    let roleName: String
    let categoryName: String
    let topics: String
    let profile: String
    let maxMeetings: String
    let languageName: String
    let listedInDirectory: Bool
    let registered: String
    let status: String
    let statusName: String
    let waitlistPosition: Int
    let isWaitlisted: Bool
    let hasTicket: Bool
    let ticketID: String
    let ticketIssued: String
    let history: [HistoryLine]
    let requests: [RequestLine]
    let hasRequests: Bool
    let programme: ProgrammeModel?
    let canApprove: Bool
    let canReject: Bool
    let canCancel: Bool
    /// The slots by day, ticked where the participant cannot meet.
    let availability: [AvailabilityDay]
    let availabilitySaved: Bool
    let path: String
    let notice: String
    let hasNotice: Bool
}

/// The words of registration statuses, decisions and audit actions shown to organisers
/// (the API and the CSV keep the codes).
enum RegistrationWords {
    static func status(_ status: RegistrationStatus) -> LocalizedText {
        switch status {
        case .pending: LocalizedText(fr: "En attente de validation", en: "Awaiting approval")
        case .confirmed: LocalizedText(fr: "Confirmée", en: "Confirmed")
        case .waitlisted: LocalizedText(fr: "Liste d'attente", en: "Waiting list")
        case .rejected: LocalizedText(fr: "Refusée", en: "Rejected")
        case .cancelled: LocalizedText(fr: "Annulée", en: "Cancelled")
        }
    }

    /// An audit action in words; unknown codes are shown as they are.
    static func action(_ code: String, in language: Language) -> String {
        let words: [String: LocalizedText] = [
            "registration.approve": LocalizedText(fr: "Inscription approuvée", en: "Registration approved"),
            "registration.reject": LocalizedText(fr: "Inscription refusée", en: "Registration rejected"),
            "registration.cancel": LocalizedText(fr: "Inscription annulée", en: "Registration cancelled"),
            "ticket.issue": LocalizedText(fr: "Billet émis", en: "Ticket issued"),
            "ticket.revoke": LocalizedText(fr: "Billet révoqué", en: "Ticket revoked"),
            "ticket.revoke_failed": LocalizedText(fr: "Révocation du billet en échec", en: "Ticket revocation failed"),
            "profile.update": LocalizedText(fr: "Profil modifié", en: "Profile updated"),
            "availability.update": LocalizedText(fr: "Disponibilités modifiées", en: "Availability changed"),
        ]
        return words[code]?[language] ?? code
    }

    /// An audit entry's details in `language`: an approval records the status it led to
    /// (a code), told in words; other details are the organisers' or the system's own text.
    static func details(of entry: AuditEntry, in language: Language) -> String {
        if entry.action == "registration.approve", let outcome = RegistrationStatus(rawValue: entry.details) {
            return status(outcome)[language]
        }
        return entry.details
    }

    /// What a decision did, in `language`: "3 inscriptions approuvées, 1 inscription
    /// refusée : complet."
    static func summary(_ summary: DecisionSummary, in language: Language) -> String {
        let words = SchedulingWords(language: language)
        func part(_ value: Int, fr: (String, String), en: (String, String)) -> String? {
            value == 0 ? nil : words.count(value, fr: fr, en: en)
        }
        let parts = [
            part(
                summary.confirmed, fr: ("inscription approuvée", "inscriptions approuvées"),
                en: ("registration approved", "registrations approved")),
            part(
                summary.waitlisted,
                fr: (
                    "inscription en liste d'attente (catégorie complète)",
                    "inscriptions en liste d'attente (catégorie complète)"
                ),
                en: (
                    "registration on the waiting list (category full)",
                    "registrations on the waiting list (category full)"
                )),
            part(
                summary.rejected, fr: ("inscription refusée", "inscriptions refusées"),
                en: ("registration rejected", "registrations rejected")),
            part(
                summary.cancelled, fr: ("inscription annulée", "inscriptions annulées"),
                en: ("registration cancelled", "registrations cancelled")),
            part(
                summary.skipped,
                fr: (
                    "inscription laissée telle quelle (déjà traitée)",
                    "inscriptions laissées telles quelles (déjà traitées)"
                ),
                en: (
                    "registration left as it was (already decided)",
                    "registrations left as they were (already decided)"
                )),
        ].compactMap { $0 }
        var text =
            parts.isEmpty
            ? (language == .fr ? "Aucune inscription modifiée" : "No registration changed")
            : parts.joined(separator: ", ")
        if let reason = summary.reason, summary.rejected + summary.cancelled > 0 {
            text += (language == .fr ? "\u{A0}: " : ": ") + reason
        }
        return text + "."
    }
}

/// The audit log.
struct AuditLine {
    let time: String
    let actor: String
    let action: String
    let subject: String
    let details: String
}

struct OrganiserAuditPageModel {
    let chrome: PageChrome
    let entries: [AuditLine]
}
