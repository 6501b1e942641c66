import Foundation
import Synchronization

/// Where a server finds its active ticket signing key: the key folder (the key created there
/// on first start), or a PEM given by the deployment (the content of an environment variable,
/// or a file such as a mounted secret), so that replicas share one key without sharing a
/// writable volume.
public struct TicketKeySource: Sendable {
    /// The key folder: its `public/` keys are trusted whatever the source of the active key.
    public let folder: TicketKeyStore
    /// The PEM given by the deployment, and where it came from (for messages); `nil`: the folder's key.
    private let given: (pem: String, origin: String)?

    /// The folder's own key.
    public init(folder: TicketKeyStore) {
        self.folder = folder
        given = nil
    }

    /// The key of `pem` when given, else of `pemFile` when given (read now), else the folder's.
    /// - Throws: ``TicketKeyStore/StoreError`` when both are given or the file cannot be read.
    public init(folder: TicketKeyStore, pem: String?, pemFile: String?) throws(TicketKeyStore.StoreError) {
        self.folder = folder
        switch (pem, pemFile) {
        case (nil, nil):
            given = nil
        case (let pem?, nil):
            given = (pem, "the configured ticket signing key")
        case (nil, let path?):
            do {
                given = (try String(contentsOfFile: path, encoding: .utf8), path)
            } catch {
                throw TicketKeyStore.StoreError(
                    description: "cannot read the ticket signing key \(path): \(error.localizedDescription)")
            }
        case (.some, .some):
            throw TicketKeyStore.StoreError(
                description: "give the ticket signing key once: as a PEM or as a file, not both")
        }
    }

    /// The source of a service's settings: the key folder `keyDirectory`, and the key given as
    /// `pem` (the `ticketSigningKey` setting) or in `pemFile` (`ticketSigningKeyFile`).
    public init(keyDirectory: String, pem: String?, pemFile: String?) throws(TicketKeyStore.StoreError) {
        try self.init(
            folder: TicketKeyStore(folder: URL(fileURLWithPath: keyDirectory, isDirectory: true)), pem: pem,
            pemFile: pemFile)
    }

    /// Whether the key comes from the deployment rather than the folder (which may then be
    /// missing or read-only: nothing is written there).
    public var isGiven: Bool { given != nil }

    /// The active signing key; from the folder, created there when `createsMissing` and none exists.
    public func signingKey(createsMissing: Bool = false) throws(TicketKeyStore.StoreError) -> TicketSigningKey {
        guard let given else {
            return try createsMissing && !folder.hasSigningKey ? folder.generate() : folder.signingKey()
        }
        do {
            return try TicketSigningKey(pkcs8PEM: given.pem)
        } catch {
            throw TicketKeyStore.StoreError(description: "\(given.origin): \(error)")
        }
    }

    /// The keys verifiers trust: the folder's public keys (those of earlier keys, when the
    /// folder has them) and the active key's.
    public func keySet() throws(TicketKeyStore.StoreError) -> TicketKeySet {
        guard given != nil else { return try folder.keySet() }
        var keys = (try? folder.keySet()) ?? TicketKeySet()
        keys.insert(try signingKey().publicKey)
        return keys
    }
}

/// A key set read at most every `lifetime` seconds, so that a rotated key set is picked up
/// without reading the keys at every scan.
public final class KeySetCache: Sendable {
    private let read: @Sendable () throws -> TicketKeySet
    private let lifetime: TimeInterval
    private let cached = Mutex<(keys: TicketKeySet, readAt: Date)?>(nil)

    public init(lifetime: TimeInterval = 30, read: @escaping @Sendable () throws -> TicketKeySet) {
        self.read = read
        self.lifetime = lifetime
    }

    /// The key set read at most `lifetime` seconds ago.
    public func current() throws -> TicketKeySet {
        let now = Date()
        if let cached = cached.withLock({ $0 }), now.timeIntervalSince(cached.readAt) < lifetime {
            return cached.keys
        }
        let keys = try read()
        cached.withLock { $0 = (keys, now) }
        return keys
    }
}
