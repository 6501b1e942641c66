import CheckIn
import Foundation
import PartneringConfig
import PartneringCore
import Registration
import Storage
import Synchronization
import Tickets

/// The check-in desks as the server runs them: the check-in service over the store, the
/// desk passcode, the sign-in rate limit and the page's script and style sheet.
public struct DeskServices: Sendable {
    public var checkIn: CheckInService
    public var passcode: DeskPasscode
    let throttle: LoginThrottle
    /// The desk page's script and style sheet (`templates/desk`), read once: the page works
    /// offline from what it loaded.
    let assets: StaticAssets

    /// `attempts` keeps the passcode tries (the store's, shared by every server process).
    public init(
        checkIn: CheckInService, passcode: DeskPasscode, assetsDirectory: String,
        attempts: any SignInAttemptRepository
    ) {
        self.checkIn = checkIn
        self.passcode = passcode
        self.throttle = LoginThrottle(attempts: attempts)
        self.assets = StaticAssets(directory: assetsDirectory, names: ["desk.js", "desk.css"])
    }

    /// The desks of a server: the public keys of the key folder (read again every
    /// 30 seconds, so a rotated key set is picked up), the store, the passcode of the key
    /// folder and the assets of `templates/desk`.
    public static func live(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore,
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
        return DeskServices(
            checkIn: checkIn, passcode: DeskPasscode(keyFolder: keyFolder),
            assetsDirectory: settings.templatesDirectory + "/desk", attempts: store.signInAttempts)
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
