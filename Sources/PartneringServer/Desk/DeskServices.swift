import CheckIn
import Foundation
import HummingbirdBcrypt
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
    let assets: DeskAssets

    /// `attempts` keeps the passcode tries (the store's, shared by every server process).
    public init(
        checkIn: CheckInService, passcode: DeskPasscode, assetsDirectory: String,
        attempts: any SignInAttemptRepository
    ) {
        self.checkIn = checkIn
        self.passcode = passcode
        self.throttle = LoginThrottle(attempts: attempts)
        self.assets = DeskAssets(directory: assetsDirectory)
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

/// The shared passcode desks sign in with, kept as a bcrypt hash in the key folder
/// (`desk-passcode`, mode 600). Set it with `partnering checkin passcode`.
public struct DeskPasscode: Sendable {
    public let file: URL

    public init(keyFolder: URL) { file = keyFolder.appendingPathComponent("desk-passcode") }

    /// Why a passcode cannot be set.
    public struct PasscodeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The shortest passcode accepted.
    public static let minimumLength = 8

    /// Sets the passcode (hashed with bcrypt at `cost`).
    public func set(_ passcode: String, cost: UInt8 = 12) throws {
        guard passcode.count >= Self.minimumLength else {
            throw PasscodeError(description: "a desk passcode has at least \(Self.minimumLength) characters")
        }
        try KeyFolder.writeAtomically(Data(Bcrypt.hash(passcode, cost: cost).utf8), to: file)
    }

    /// Sets a new random passcode and returns it (to print once).
    public func generate(cost: UInt8 = 12) throws -> String {
        // Digits only, in groups of four: quick to type on a desk's number pad.
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<12).map { _ in String(Int.random(in: 0...9, using: &generator)) }
        let passcode = stride(from: 0, to: 12, by: 4).map { digits[$0..<$0 + 4].joined() }.joined(separator: "-")
        try set(passcode, cost: cost)
        return passcode
    }

    /// Whether a passcode was set.
    public var isSet: Bool { FileManager.default.fileExists(atPath: file.path) }

    /// Whether `passcode` is the desks' passcode; `false` when none was set.
    func matches(_ passcode: String) async -> Bool {
        guard let hash = FileManager.default.contents(atPath: file.path) else { return false }
        let text = String(decoding: hash, as: UTF8.self)
        return await PasswordHasher.offThePool { Bcrypt.verify(passcode, hash: text) }
    }
}

/// The desk page's script and style sheet (`templates/desk/desk.js`, `desk.css`), read
/// once: the page works offline from what it loaded.
struct DeskAssets: Sendable {
    let files: [String: (contentType: String, body: String)]

    init(directory: String) {
        var files: [String: (contentType: String, body: String)] = [:]
        for (name, type) in [
            ("desk.js", "text/javascript; charset=utf-8"), ("desk.css", "text/css; charset=utf-8"),
        ] {
            if let body = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) {
                files[name] = (type, body)
            }
        }
        self.files = files
    }
}
