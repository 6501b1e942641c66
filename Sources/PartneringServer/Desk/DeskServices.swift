import CheckIn
import Foundation
import PartneringConfig
import PartneringCore
import Registration
import Storage
import Synchronization
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

    /// The desks of a server: the public keys of the key folder (read again every
    /// 30 seconds, so a rotated key set is picked up), the store, the passcode of the key
    /// folder, desk tokens signed by `signer`, and the assets of `templates/desk`.
    public static func live(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, signer: TokenSigner,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) -> DeskServices {
        let keyFolder = URL(fileURLWithPath: settings.keyDirectory, isDirectory: true)
        let keys = KeySetCache(store: TicketKeyStore(folder: keyFolder))
        let checkIn = CheckInService(
            event: event, keys: { try keys.current() },
            repositories: CheckInRepositories(
                participants: store.participants, tickets: store.tickets, checkIns: store.checkIns,
                schedules: store.schedules, auditLog: store.auditLog, idempotency: store.idempotency),
            clock: clock)
        let signIn = DeskSignIn(
            passcode: DeskPasscode(keyFolder: keyFolder), attempts: store.signInAttempts, auditLog: store.auditLog,
            signer: signer, clock: clock)
        return DeskServices(checkIn: checkIn, signIn: signIn, assetsDirectory: settings.templatesDirectory + "/desk")
    }
}

/// The key folder's public keys, read at most every `lifetime` seconds.
final class KeySetCache: Sendable {
    private let store: TicketKeyStore
    private let lifetime: TimeInterval
    private let cached = Mutex<(keys: TicketKeySet, readAt: Date)?>(nil)

    init(store: TicketKeyStore, lifetime: TimeInterval = 30) {
        self.store = store
        self.lifetime = lifetime
    }

    func current() throws -> TicketKeySet {
        let now = Date()
        if let cached = cached.withLock({ $0 }), now.timeIntervalSince(cached.readAt) < lifetime {
            return cached.keys
        }
        let keys = try store.keySet()
        cached.withLock { $0 = (keys, now) }
        return keys
    }
}
