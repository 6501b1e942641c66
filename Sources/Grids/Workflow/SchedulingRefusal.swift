import PartneringCore

/// Why the scheduling workflow (``SchedulingService``) refused an operation. The stable
/// ``code`` is what clients, addresses and tests rely on; ``title(in:)`` and
/// ``detail(in:)`` are for people. How it is carried (an HTTP status, a notice on a page)
/// is the server's business.
public enum SchedulingRefusal: Error, Sendable, Hashable {
    /// The time limit is not a number of seconds in ``SchedulingService/timeLimits``.
    case timeLimitOutOfRange
    /// The registrations and requests hold inconsistencies the scheduler refuses (how many).
    case problemInvalid(issues: Int)
    /// A run of the event is queued or running already.
    case runInProgress
    /// No schedule version has this number.
    case versionNotFound
    /// The draft of changes is empty or no longer applies to its version.
    case nothingToSave
    /// The version is the one published already.
    case alreadyPublished
    /// Another version was published since the organiser looked at the preview.
    case scheduleChangedMeanwhile
    /// Nothing is published yet: there is no day to re-plan.
    case noPublishedSchedule

    /// Every refusal with a code, for reading one back from an address.
    static let all: [SchedulingRefusal] = [
        .timeLimitOutOfRange, .problemInvalid(issues: 0), .runInProgress, .versionNotFound, .nothingToSave,
        .alreadyPublished, .scheduleChangedMeanwhile, .noPublishedSchedule,
    ]

    /// The refusal of `code`, with `issues` for ``problemInvalid(issues:)``; `nil` for an unknown code.
    public init?(code: String, issues: Int = 0) {
        guard let known = Self.all.first(where: { $0.code == code }) else { return nil }
        self = known == .problemInvalid(issues: 0) ? .problemInvalid(issues: max(0, issues)) : known
    }

    /// The stable machine-readable code (`snake_case`).
    public var code: String {
        switch self {
        case .timeLimitOutOfRange: "time_limit_out_of_range"
        case .problemInvalid: "problem_invalid"
        case .runInProgress: "run_in_progress"
        case .versionNotFound: "schedule_version_not_found"
        case .nothingToSave: "nothing_to_save"
        case .alreadyPublished: "already_published"
        case .scheduleChangedMeanwhile: "schedule_changed_meanwhile"
        case .noPublishedSchedule: "no_published_schedule"
        }
    }

    /// A short title in `language`.
    public func title(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .timeLimitOutOfRange: LocalizedText(fr: "Limite de temps invalide", en: "Invalid time limit")
            case .problemInvalid: LocalizedText(fr: "Calcul impossible", en: "Cannot schedule")
            case .runInProgress: LocalizedText(fr: "Calcul en cours", en: "Run in progress")
            case .versionNotFound: LocalizedText(fr: "Version introuvable", en: "Version not found")
            case .nothingToSave: LocalizedText(fr: "Rien à enregistrer", en: "Nothing to save")
            case .alreadyPublished: LocalizedText(fr: "Déjà publiée", en: "Already published")
            case .scheduleChangedMeanwhile:
                LocalizedText(fr: "Le planning a changé", en: "The schedule has changed")
            case .noPublishedSchedule:
                LocalizedText(fr: "Aucun planning publié", en: "No schedule published")
            }
        return text[language]
    }

    /// A sentence that tells the organiser what happened and what to do, in `language`.
    public func detail(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .timeLimitOutOfRange:
                LocalizedText(
                    fr: "La limite de temps doit être un nombre de secondes entre 1 et 600.",
                    en: "The time limit must be a number of seconds between 1 and 600.")
            case .problemInvalid(let issues):
                LocalizedText(
                    fr: "Le planificateur ne peut pas démarrer : les inscriptions et demandes contiennent "
                        + "\(issues) \(issues < 2 ? "incohérence" : "incohérences") "
                        + "(le problème de planification en JSON les montre).",
                    en: "The scheduler cannot start: the registrations and requests hold "
                        + "\(issues) \(issues == 1 ? "inconsistency" : "inconsistencies") "
                        + "(the scheduling problem in JSON shows them).")
            case .runInProgress:
                LocalizedText(fr: "Un calcul est déjà en cours.", en: "A run is already in progress.")
            case .versionNotFound:
                LocalizedText(
                    fr: "Aucune version du planning ne porte ce numéro.", en: "No schedule version has this number.")
            case .nothingToSave:
                LocalizedText(
                    fr: "Rien à enregistrer : le brouillon est vide ou ne s’applique plus.",
                    en: "Nothing to save: the draft is empty or no longer applies.")
            case .alreadyPublished:
                LocalizedText(
                    fr: "Cette version est déjà celle que voient les participants.",
                    en: "This version is already the one participants see.")
            case .scheduleChangedMeanwhile:
                LocalizedText(
                    fr:
                        "Une autre version a été publiée depuis l’aperçu : vérifiez le nouvel aperçu avant de continuer.",
                    en: "Another version was published since the preview: check the new preview before going on.")
            case .noPublishedSchedule:
                LocalizedText(
                    fr: "Publiez un planning avant de le réorganiser pendant la journée.",
                    en: "Publish a schedule before re-planning the day.")
            }
        return text[language]
    }
}
