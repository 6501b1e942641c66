import CheckIn
import Grids
import HTTPTypes
import PartneringCore
import Registration

/// A refusal as the service answers it, whichever part refused: the HTTP status, the stable
/// code that API clients and tests rely on, and a title and a sentence for people in their
/// language. ``RefusalMiddleware`` turns any of them into a page or into
/// `application/problem+json`; this is the one place where refusals meet HTTP.
protocol AnsweredRefusal: Error {
    /// The stable machine-readable code (`snake_case`).
    var code: String { get }
    /// The HTTP status that carries the refusal.
    var status: HTTPResponse.Status { get }
    /// A short title in `language`.
    func title(in language: Language) -> String
    /// A sentence that tells a person what happened and what to do, in `language`.
    func detail(in language: Language) -> String
    /// The fields to correct when the refusal is about invalid input, `nil` otherwise.
    var fieldIssues: [FieldIssue]? { get }
    /// How long to wait before trying again, when the refusal is a rate limit.
    var retryAfterSeconds: Int? { get }
}

extension AnsweredRefusal {
    var fieldIssues: [FieldIssue]? { nil }
    var retryAfterSeconds: Int? { nil }
}

/// Refusals of the HTTP layer itself, before any service is asked.
enum RequestRefusal: AnsweredRefusal, Hashable {
    /// The request body could not be read (malformed JSON, wrong types); says why.
    case malformedBody(String)
    /// The form's anti-forgery token is missing or wrong.
    case csrfTokenInvalid
    /// The request body is larger than the endpoint accepts.
    case bodyTooLarge

    var code: String {
        switch self {
        case .malformedBody: "malformed_body"
        case .csrfTokenInvalid: "csrf_token_invalid"
        case .bodyTooLarge: "body_too_large"
        }
    }

    var status: HTTPResponse.Status {
        switch self {
        case .malformedBody: .badRequest
        case .csrfTokenInvalid: .forbidden
        case .bodyTooLarge: .contentTooLarge
        }
    }

    func title(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .malformedBody: LocalizedText(fr: "Requête illisible", en: "Unreadable request")
            case .csrfTokenInvalid: LocalizedText(fr: "Formulaire expiré", en: "Form expired")
            case .bodyTooLarge: LocalizedText(fr: "Requête trop volumineuse", en: "Request too large")
            }
        return text[language]
    }

    func detail(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .malformedBody(let reason):
                LocalizedText(
                    fr: "Le corps de la requête est illisible : \(reason)",
                    en: "The request body cannot be read: \(reason)")
            case .csrfTokenInvalid:
                LocalizedText(
                    fr: "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.",
                    en: "This form expired or did not come from this site. Reload the page and try again.")
            case .bodyTooLarge:
                LocalizedText(
                    fr: "Le corps de la requête dépasse la taille que cette adresse accepte.",
                    en: "The request body is larger than this address accepts.")
            }
        return text[language]
    }
}

extension Refusal: AnsweredRefusal {
    var status: HTTPResponse.Status {
        switch self {
        case .invalidInput, .idempotencyKeyReused, .rolesCannotMeet, .requestToSelf: .unprocessableContent
        case .registrationClosed, .forbidden: .forbidden
        case .unknownRole, .participantNotFound, .requestNotFound, .notFound: .notFound
        case .emailAlreadyRegistered, .requestInProgress, .openRequestLimitReached, .duplicateRequest,
            .requestNotPending, .registrationNotActive, .invalidTransition, .feedbackNotOpen:
            .conflict
        case .accessLinkExpired, .accessLinkInvalid, .notSignedIn, .invalidCredentials: .unauthorized
        case .tooManyAttempts: .tooManyRequests
        }
    }

    var fieldIssues: [FieldIssue]? {
        if case .invalidInput(let issues) = self { issues } else { nil }
    }

    var retryAfterSeconds: Int? {
        if case .tooManyAttempts(let seconds) = self { seconds } else { nil }
    }
}

/// The scheduling workflow's refusals keep their own codes and texts; the status says
/// what kind of refusal each is.
extension SchedulingRefusal: AnsweredRefusal {
    var status: HTTPResponse.Status {
        switch self {
        case .timeLimitOutOfRange, .problemInvalid, .nothingToSave: .unprocessableContent
        case .versionNotFound: .notFound
        case .runInProgress, .alreadyPublished, .noPublishedSchedule, .scheduleChangedMeanwhile: .conflict
        }
    }
}

/// A desk's scan request refused: the codes stay those the desk API has always answered
/// (`malformed_body`, `idempotency_key_reused`, `request_in_progress`,
/// `participant_not_found`), and people read a sentence in their language rather than the
/// error's developer description.
extension CheckInError: AnsweredRefusal {
    var code: String {
        switch self {
        case .invalidNonce, .invalidDesk, .tooManyScans: "malformed_body"
        case .nonceReused: "idempotency_key_reused"
        case .scanInProgress: "request_in_progress"
        case .participantNotFound: "participant_not_found"
        }
    }

    var status: HTTPResponse.Status {
        switch self {
        case .invalidNonce, .invalidDesk, .tooManyScans: .badRequest
        case .nonceReused: .unprocessableContent
        case .scanInProgress: .conflict
        case .participantNotFound: .notFound
        }
    }

    func title(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .invalidNonce, .invalidDesk, .tooManyScans:
                LocalizedText(fr: "Requête illisible", en: "Unreadable request")
            case .nonceReused: LocalizedText(fr: "Scan déjà enregistré", en: "Scan already recorded")
            case .scanInProgress: LocalizedText(fr: "Scan en cours", en: "Scan in progress")
            case .participantNotFound: LocalizedText(fr: "Participant introuvable", en: "Participant not found")
            }
        return text[language]
    }

    func detail(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .invalidNonce:
                LocalizedText(
                    fr: "L'identifiant du scan doit compter 8 à 128 caractères parmi A-Z a-z 0-9 - _.",
                    en: "The scan's identifier must be 8 to 128 characters among A-Z a-z 0-9 - _.")
            case .invalidDesk:
                LocalizedText(
                    fr: "Le nom du poste doit compter 1 à 64 caractères imprimables.",
                    en: "The desk's name must be 1 to 64 printable characters.")
            case .tooManyScans(let limit):
                LocalizedText(
                    fr: "Un envoi compte au plus \(limit) scans ; envoyez le reste à part.",
                    en: "An upload holds at most \(limit) scans; send the rest separately.")
            case .nonceReused:
                LocalizedText(
                    fr: "Cet identifiant de scan a déjà servi pour un autre billet.",
                    en: "This scan identifier was already used for another ticket.")
            case .scanInProgress:
                LocalizedText(
                    fr: "Le même scan est en cours d'enregistrement ; réessayez dans un instant.",
                    en: "The same scan is being recorded; try again in a moment.")
            case .participantNotFound:
                LocalizedText(fr: "Ce participant n'existe pas.", en: "This participant does not exist.")
            }
        return text[language]
    }
}
