import CheckIn
import Foundation
import PartneringConfig
import PartneringCore
import Registration
import Storage
import Tickets

/// The check-in desks as the server runs them: the check-in service over the store, the
/// desks' sign-in and the page's script and style sheet.
public struct DeskServices: Sendable {
    public var checkIn: CheckInService
    public var signIn: DeskSignIn
    /// The desk page's script and style sheet (`templates/desk`), read once: the page works
    /// offline from what it loaded.
    let assets: StaticAssets

    /// The passcode every desk signs in with.
    public var passcode: DeskPasscode { signIn.passcode }

    public init(checkIn: CheckInService, signIn: DeskSignIn, assetsDirectory: String) {
        self.checkIn = checkIn
        self.signIn = signIn
        self.assets = StaticAssets(directory: assetsDirectory, names: ["desk.js", "desk.css"])
    }

    /// The desks of a server: the public keys of the key folder and the active key (read again
    /// every 30 seconds, so a rotated key set is picked up), the store and its desk passcode,
    /// desk tokens signed by `signer`, and the assets of `templates/desk`.
    public static func live(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, signer: TokenSigner,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> DeskServices {
        let source = try settings.ticketKeySource()
        let keys = KeySetCache { try source.keySet() }
        let checkIn = CheckInService(
            event: event, keys: { try keys.current() },
            repositories: CheckInRepositories(
                participants: store.participants, tickets: store.tickets, checkIns: store.checkIns,
                schedules: store.schedules, auditLog: store.auditLog, idempotency: store.idempotency),
            clock: clock)
        let signIn = DeskSignIn(
            passcode: DeskPasscode(repository: store.deskPasscodes, sessions: store.sessions, clock: clock),
            attempts: store.signInAttempts, auditLog: store.auditLog, sessions: store.sessions, signer: signer,
            clock: clock)
        return DeskServices(checkIn: checkIn, signIn: signIn, assetsDirectory: settings.templatesDirectory + "/desk")
    }
}
