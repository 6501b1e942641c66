/// Why a repository refused an operation. Each case carries what a caller needs
/// to tell the user precisely what went wrong.
public enum RepositoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another participant already registered with this e-mail address.
    case duplicateEmail(String, existing: ParticipantID)
    /// An entity with this id exists already.
    case duplicateID(String)
    /// No participant has this id.
    case participantNotFound(ParticipantID)
    /// No meeting request has this id.
    case requestNotFound(RequestID)
    /// No schedule version has this number.
    case scheduleVersionNotFound(Int)
    /// The registration is not in a state that allows the operation (approving a
    /// confirmed participant, cancelling twice...).
    case invalidTransition(ParticipantID, from: RegistrationStatus, to: RegistrationStatus)
    /// `update` may not change a registration's status: seats are taken and freed
    /// only through ``RegistrationRepository``, which keeps capacities exact.
    case statusChangeRequiresRegistrationOperation(ParticipantID)
    /// The sender already has `limit` open requests.
    case openRequestLimitReached(ParticipantID, limit: Int)
    /// A request's sender or recipient is not a registered participant.
    case unknownRequestParticipant(ParticipantID)
    /// A publication made from the published version `expected` found another one
    /// published meanwhile (`found`, or none).
    case publishedVersionChanged(expected: Int, found: Int?)

    public var description: String {
        switch self {
        case .duplicateEmail(let email, let existing):
            "the e-mail address \(email) is already registered (participant \(existing))"
        case .duplicateID(let id): "an entity with id \(id) already exists"
        case .participantNotFound(let id): "no participant with id \(id)"
        case .requestNotFound(let id): "no meeting request with id \(id)"
        case .scheduleVersionNotFound(let version): "no schedule version \(version)"
        case .invalidTransition(let id, let from, let to):
            "participant \(id) cannot go from \(from.rawValue) to \(to.rawValue)"
        case .statusChangeRequiresRegistrationOperation(let id):
            "the status of participant \(id) changes only through register, approve, reject or cancel"
        case .openRequestLimitReached(let id, let limit):
            "participant \(id) already has \(limit) open meeting requests"
        case .unknownRequestParticipant(let id): "no participant with id \(id) for this request"
        case .publishedVersionChanged(let expected, let found):
            "schedule version \(found.map(String.init) ?? "none") was published since version \(expected)"
        }
    }
}
