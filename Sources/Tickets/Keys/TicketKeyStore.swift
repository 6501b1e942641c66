import FileSupport
import Foundation
import PartneringCore

/// The folder that holds the ticket keys: the active private key and every public key
/// ever used, so that tickets signed before a rotation still verify.
///
/// ```
/// keys/                     mode 0700
///   signing-key.pem         the active private key, PKCS#8 PEM, mode 0600
///   public/<kid>.pem        every public key, SubjectPublicKeyInfo PEM
/// ```
///
/// The active key id is that of `signing-key.pem`; rotation writes the new public key
/// first, then replaces the private key in one rename, so a crash leaves either the old
/// or the new key active, never none.
public struct TicketKeyStore: Sendable {
    /// The folder.
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The folder for a data folder: `<data-dir>/keys`.
    public init(dataDirectory: URL) {
        self.init(folder: dataDirectory.appendingPathComponent("keys", isDirectory: true))
    }

    var signingKeyFile: URL { folder.appendingPathComponent("signing-key.pem") }
    var publicFolder: URL { folder.appendingPathComponent("public", isDirectory: true) }

    /// Why the keys cannot be read or written.
    public struct StoreError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Whether the folder holds an active signing key.
    public var hasSigningKey: Bool { FileManager.default.fileExists(atPath: signingKeyFile.path) }

    /// Creates the first signing key. Refuses when one exists: replacing it is `rotate()`.
    @discardableResult
    public func generate() throws(StoreError) -> TicketSigningKey {
        guard !hasSigningKey else {
            throw StoreError(
                description:
                    "\(signingKeyFile.path) already exists; use `partnering keys rotate` for a new key")
        }
        return try install(newKey())
    }

    /// Makes a new signing key active; the previous public key stays in the key set and
    /// the previous private key is gone, so it can sign nothing more.
    /// Returns the previous key id and the new key.
    public func rotate() throws(StoreError) -> (previous: TicketKeyID, current: TicketSigningKey) {
        let previous = try signingKey()
        try writePublicKey(previous.publicKey)
        return (previous.keyID, try install(newKey()))
    }

    /// The active signing key. Refuses a key file that others may read, as ssh does.
    public func signingKey() throws(StoreError) -> TicketSigningKey {
        let path = signingKeyFile.path
        guard hasSigningKey else {
            throw StoreError(
                description: "no signing key at \(path); create one with `partnering keys generate`")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw StoreError(
                description:
                    "\(path) is readable by others (mode \(String(mode, radix: 8))); run chmod 600 on it")
        }
        do {
            return try TicketSigningKey(pkcs8PEM: String(contentsOf: signingKeyFile, encoding: .utf8))
        } catch let error as TicketKeyError {
            throw StoreError(description: "\(path): \(error)")
        } catch {
            throw StoreError(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Every public key of the folder, in key-id order: what verifiers should trust.
    public func keySet() throws(StoreError) -> TicketKeySet {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(
                at: publicFolder, includingPropertiesForKeys: nil
            ).filter { $0.pathExtension == "pem" }
        } catch {
            throw StoreError(
                description: "no public keys in \(publicFolder.path); run `partnering keys generate`")
        }
        var keys: [TicketPublicKey] = []
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            do {
                keys.append(try TicketPublicKey(pem: String(contentsOf: file, encoding: .utf8)))
            } catch {
                throw StoreError(description: "\(file.path): \(error)")
            }
        }
        return TicketKeySet(keys)
    }

    private func newKey() throws(StoreError) -> TicketSigningKey {
        do { return try TicketSigningKey.generate() } catch {
            throw StoreError(description: "\(error)")
        }
    }

    private func install(_ key: TicketSigningKey) throws(StoreError) -> TicketSigningKey {
        try makeFolders()
        try writePublicKey(key.publicKey)
        do {
            try AtomicFile.write(Array(key.pkcs8PEM().utf8), to: signingKeyFile.path, mode: 0o600)
        } catch {
            throw StoreError(description: "\(error)")
        }
        return key
    }

    private func writePublicKey(_ key: TicketPublicKey) throws(StoreError) {
        try makeFolders()
        let file = publicFolder.appendingPathComponent("\(key.keyID).pem")
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            try AtomicFile.write(Array(key.pem().utf8), to: file.path, mode: 0o644)
        } catch {
            throw StoreError(description: "\(error)")
        }
    }

    private func makeFolders() throws(StoreError) {
        do {
            try FileManager.default.createDirectory(
                at: publicFolder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o755])
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o700], ofItemAtPath: folder.path)
        } catch {
            throw StoreError(
                description: "cannot create \(publicFolder.path): \(error.localizedDescription)")
        }
    }
}
