import PartneringCore

/// Why the registration services refused an operation. The stable ``code`` is what clients
/// and tests rely on, ``title(in:)`` and ``detail(in:)`` are for people; how a refusal is
/// carried (an HTTP status, a page, `application/problem+json`) is the server's business.
public enum Refusal: Error, Sendable, Hashable {
    /// One or more fields are invalid; each issue names its field.
    case invalidInput([FieldIssue])
    /// Registration is not open at this moment.
    case registrationClosed
    /// The event has no such role (or it cannot register).
    case unknownRole(String)
    /// The address is registered already; a fresh access link was sent to it.
    case emailAlreadyRegistered
    /// The `Idempotency-Key` was first used with a different request.
    case idempotencyKeyReused
    /// A request with the same `Idempotency-Key` is being processed.
    case requestInProgress
    /// The access link (or session) is genuine but expired.
    case accessLinkExpired
    /// The access link is not one this service signed.
    case accessLinkInvalid
    /// The operation needs a signed-in attendee or organiser.
    case notSignedIn
    /// The signed-in user may not touch this (another attendee's data).
    case forbidden
    /// No such participant (or not visible to the caller).
    case participantNotFound
    /// No such meeting request (or not visible to the caller).
    case requestNotFound
    /// The sender already has `limit` open meeting requests.
    case openRequestLimitReached(limit: Int)
    /// The event's policy does not let these two roles meet.
    case rolesCannotMeet
    /// A participant cannot ask to meet themself.
    case requestToSelf
    /// An open request between the two exists already.
    case duplicateRequest
    /// The request is no longer pending: it cannot be answered or withdrawn.
    case requestNotPending
    /// The caller's registration is not confirmed: no meeting requests yet.
    case registrationNotActive
    /// The registration cannot go from one status to the other.
    case invalidTransition(from: RegistrationStatus, to: RegistrationStatus)
    /// Wrong e-mail address or password.
    case invalidCredentials
    /// Too many failed sign-in attempts; retry after `seconds`.
    case tooManyAttempts(retryAfterSeconds: Int)
    /// No such page or resource.
    case notFound
    /// Meeting feedback is not open yet: the meeting (or, for the invitations, the day's
    /// last meeting) has not ended.
    case feedbackNotOpen

    /// The stable machine-readable code of the refusal.
    public var code: String {
        switch self {
        case .invalidInput: "validation_failed"
        case .registrationClosed: "registration_closed"
        case .unknownRole: "unknown_role"
        case .emailAlreadyRegistered: "email_already_registered"
        case .idempotencyKeyReused: "idempotency_key_reused"
        case .requestInProgress: "request_in_progress"
        case .accessLinkExpired: "access_link_expired"
        case .accessLinkInvalid: "access_link_invalid"
        case .notSignedIn: "not_signed_in"
        case .forbidden: "forbidden"
        case .participantNotFound: "participant_not_found"
        case .requestNotFound: "request_not_found"
        case .openRequestLimitReached: "open_request_limit_reached"
        case .rolesCannotMeet: "roles_cannot_meet"
        case .requestToSelf: "request_to_self"
        case .duplicateRequest: "duplicate_request"
        case .requestNotPending: "request_not_pending"
        case .registrationNotActive: "registration_not_active"
        case .invalidTransition: "invalid_transition"
        case .invalidCredentials: "invalid_credentials"
        case .tooManyAttempts: "too_many_attempts"
        case .notFound: "not_found"
        case .feedbackNotOpen: "feedback_not_open"
        }
    }

    /// A short title in `language`.
    public func title(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .invalidInput:
                LocalizedText(fr: "Certains champs sont à corriger", en: "Some fields need correcting")
            case .registrationClosed:
                LocalizedText(fr: "Les inscriptions sont fermées", en: "Registration is closed")
            case .unknownRole: LocalizedText(fr: "Profil inconnu", en: "Unknown role")
            case .emailAlreadyRegistered:
                LocalizedText(fr: "Adresse déjà inscrite", en: "Address already registered")
            case .idempotencyKeyReused:
                LocalizedText(fr: "Clé d'idempotence déjà utilisée", en: "Idempotency key already used")
            case .requestInProgress: LocalizedText(fr: "Requête en cours", en: "Request in progress")
            case .accessLinkExpired: LocalizedText(fr: "Lien expiré", en: "Link expired")
            case .accessLinkInvalid: LocalizedText(fr: "Lien invalide", en: "Invalid link")
            case .notSignedIn: LocalizedText(fr: "Connexion nécessaire", en: "Sign-in required")
            case .forbidden: LocalizedText(fr: "Accès refusé", en: "Access denied")
            case .participantNotFound: LocalizedText(fr: "Participant introuvable", en: "Participant not found")
            case .requestNotFound: LocalizedText(fr: "Demande introuvable", en: "Request not found")
            case .openRequestLimitReached:
                LocalizedText(fr: "Limite de demandes atteinte", en: "Request limit reached")
            case .rolesCannotMeet:
                LocalizedText(fr: "Rendez-vous impossible", en: "Meeting not possible")
            case .requestToSelf: LocalizedText(fr: "Demande à soi-même", en: "Request to yourself")
            case .duplicateRequest: LocalizedText(fr: "Demande déjà envoyée", en: "Request already sent")
            case .requestNotPending: LocalizedText(fr: "Demande déjà traitée", en: "Request already answered")
            case .registrationNotActive:
                LocalizedText(fr: "Inscription non confirmée", en: "Registration not confirmed")
            case .invalidTransition: LocalizedText(fr: "Action impossible", en: "Action not possible")
            case .invalidCredentials: LocalizedText(fr: "Identifiants incorrects", en: "Wrong credentials")
            case .tooManyAttempts: LocalizedText(fr: "Trop de tentatives", en: "Too many attempts")
            case .notFound: LocalizedText(fr: "Page introuvable", en: "Page not found")
            case .feedbackNotOpen: LocalizedText(fr: "Trop tôt pour un avis", en: "Too early for feedback")
            }
        return text[language]
    }

    /// A sentence that tells a person what happened and what to do, in `language`.
    public func detail(in language: Language) -> String {
        let text: LocalizedText =
            switch self {
            case .invalidInput(let issues):
                LocalizedText(
                    fr: "\(issues.count) champ(s) à corriger : " + issues.map(\.field).joined(separator: ", ") + ".",
                    en: "\(issues.count) field(s) to correct: " + issues.map(\.field).joined(separator: ", ") + ".")
            case .registrationClosed:
                LocalizedText(
                    fr: "Les inscriptions ne sont pas ouvertes en ce moment.",
                    en: "Registration is not open at the moment.")
            case .unknownRole(let role):
                LocalizedText(
                    fr: "Cet événement n'a pas de profil « \(role) ».", en: "This event has no role “\(role)”.")
            case .emailAlreadyRegistered:
                LocalizedText(
                    fr: "Cette adresse est déjà inscrite : nous venons d'y envoyer un nouveau lien d'accès personnel.",
                    en: "This address is already registered: we have just sent a fresh personal access link to it.")
            case .idempotencyKeyReused:
                LocalizedText(
                    fr: "Cette clé Idempotency-Key a déjà servi pour une autre requête.",
                    en: "This Idempotency-Key was already used for a different request.")
            case .requestInProgress:
                LocalizedText(
                    fr: "La même requête est en cours de traitement ; réessayez dans un instant.",
                    en: "The same request is being processed; retry in a moment.")
            case .accessLinkExpired:
                LocalizedText(
                    fr: "Ce lien a expiré. Demandez un nouveau lien d'accès avec votre adresse e-mail.",
                    en: "This link has expired. Ask for a new access link with your e-mail address.")
            case .accessLinkInvalid:
                LocalizedText(
                    fr: "Ce lien n'est pas valide. Demandez un nouveau lien d'accès avec votre adresse e-mail.",
                    en: "This link is not valid. Ask for a new access link with your e-mail address.")
            case .notSignedIn:
                LocalizedText(
                    fr: "Ouvrez votre lien d'accès personnel (ou connectez-vous) pour continuer.",
                    en: "Open your personal access link (or sign in) to continue.")
            case .forbidden:
                LocalizedText(
                    fr: "Vous n'avez pas accès à ces données.", en: "You do not have access to this data.")
            case .participantNotFound:
                LocalizedText(fr: "Ce participant n'existe pas.", en: "This participant does not exist.")
            case .requestNotFound:
                LocalizedText(fr: "Cette demande n'existe pas.", en: "This request does not exist.")
            case .openRequestLimitReached(let limit):
                LocalizedText(
                    fr:
                        "Vous avez déjà \(limit) demandes ouvertes, le maximum. Retirez-en une pour en envoyer une autre.",
                    en: "You already have \(limit) open requests, the maximum. Withdraw one to send another.")
            case .rolesCannotMeet:
                LocalizedText(
                    fr: "Les règles de l'événement ne prévoient pas de rendez-vous entre ces deux profils.",
                    en: "The event's rules do not plan meetings between these two roles.")
            case .requestToSelf:
                LocalizedText(
                    fr: "Vous ne pouvez pas vous demander un rendez-vous.", en: "You cannot ask to meet yourself.")
            case .duplicateRequest:
                LocalizedText(
                    fr: "Une demande entre vous deux est déjà ouverte.",
                    en: "A request between the two of you is already open.")
            case .requestNotPending:
                LocalizedText(
                    fr: "Cette demande a déjà reçu une réponse ou a été retirée.",
                    en: "This request was already answered or withdrawn.")
            case .registrationNotActive:
                LocalizedText(
                    fr:
                        "Votre inscription doit être confirmée avant de consulter l'annuaire, d'envoyer ou d'accepter des demandes.",
                    en:
                        "Your registration must be confirmed before you browse the directory, send or accept requests.")
            case .invalidTransition(let from, let to):
                LocalizedText(
                    fr: "Une inscription « \(from.rawValue) » ne peut pas passer à « \(to.rawValue) ».",
                    en: "A “\(from.rawValue)” registration cannot become “\(to.rawValue)”.")
            case .invalidCredentials:
                LocalizedText(
                    fr: "Adresse e-mail ou mot de passe incorrect.", en: "Wrong e-mail address or password.")
            case .tooManyAttempts(let seconds):
                LocalizedText(
                    fr: "Trop de tentatives échouées. Réessayez dans \(max(1, seconds / 60)) minute(s).",
                    en: "Too many failed attempts. Try again in \(max(1, seconds / 60)) minute(s).")
            case .notFound:
                LocalizedText(fr: "Cette page n'existe pas.", en: "This page does not exist.")
            case .feedbackNotOpen:
                LocalizedText(
                    fr: "Un rendez-vous peut être évalué une fois son créneau terminé.",
                    en: "A meeting can be rated once its slot has ended.")
            }
        return text[language]
    }
}
