import Foundation
import PartneringCore
import Registration

/// Signing a check-in desk in: a desk name and the passcode all desks share (separate from
/// organiser accounts), rate-limited and written to the audit log, answered with a desk
/// session token.
public struct DeskSignIn: Sendable {
    /// The passcode every desk signs in with.
    public let passcode: DeskPasscode
    private let throttle: LoginThrottle
    private let auditLog: any AuditLogRepository
    private let sessions: any SessionRevocationRepository
    private let signer: TokenSigner
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - attempts: the passcode tries (the store's, shared by every server process).
    ///   - sessions: where desk sessions are recorded, so that a new passcode ends them.
    public init(
        passcode: DeskPasscode, attempts: any SignInAttemptRepository, auditLog: any AuditLogRepository,
        sessions: any SessionRevocationRepository, signer: TokenSigner, clock: @escaping @Sendable () -> Date
    ) {
        self.passcode = passcode
        self.throttle = LoginThrottle(attempts: attempts)
        self.auditLog = auditLog
        self.sessions = sessions
        self.signer = signer
        self.clock = clock
    }

    /// Checks the passcode for the desk named `desk`, from `client`, and returns a desk token.
    ///
    /// - Throws: ``Refusal/invalidInput(_:)`` for a desk name that is empty or not 1 to 64
    ///   printable characters, ``Refusal/tooManyAttempts(retryAfterSeconds:)`` after five
    ///   failed tries from one client or fifty over all clients within the throttle's window,
    ///   ``Refusal/invalidCredentials`` for a wrong passcode (written to the audit log).
    public func signIn(desk: String, passcode given: String, client: String) async throws -> (
        token: String, expiresAt: Date
    ) {
        let name = desk.trimmingCharacters(in: .whitespacesAndNewlines)
        do { try CheckInError.checkDesk(name) } catch {
            throw Refusal.invalidInput([FieldIssue("desk", name.isEmpty ? .required : .tooLong(max: 64))])
        }
        let now = clock()
        // Five tries per client, and fifty over all clients: one passcode guards every desk,
        // so many clients guessing at once are limited too.
        let keys = [ThrottleKey("desk-client:" + client, limit: 5), ThrottleKey("desk-all", limit: 50)]
        try await throttle.begin(keys, now: now)
        guard try await passcode.matches(given) else {
            _ = try await auditLog.append(
                AuditEntry(time: now, actor: "client:\(client)", action: "desk.login_failed", subject: name))
            throw Refusal.invalidCredentials
        }
        try await throttle.succeeded(keys)
        _ = try await auditLog.append(
            AuditEntry(time: now, actor: "desk:\(name)", action: "desk.login", subject: name))
        return try await signer.signSession(
            .deskSession, subject: name, holder: DeskPasscode.sessionHolder, recordedIn: sessions)
    }
}
