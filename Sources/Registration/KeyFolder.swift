import FileSupport
import Foundation
import PartneringCore

/// The service's own secrets in the key folder, or given by the deployment (a mounted secret,
/// an environment variable), and the files earlier versions kept there.
public enum KeyFolder {
    /// Why the key folder or a given secret cannot be used.
    public struct KeyFolderError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The fewest bytes of a link secret.
    public static let minimumSecretLength = 32

    /// The HMAC secret of access links and sessions: `given` (the text of a setting) when
    /// present, else the content of `givenFile`, else `link-secret` of `folder` (32 random
    /// bytes, mode 600, created on first start). Replicas must share it: a session signed by
    /// one is checked by another.
    public static func linkSecret(
        in folder: URL, given: String? = nil, givenFile: String? = nil, dependencies: ServiceDependencies
    ) throws -> [UInt8] {
        switch (given, givenFile) {
        case (let text?, nil):
            return try checked(Array(text.utf8), origin: "the configured link secret")
        case (nil, let path?):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KeyFolderError(description: "cannot read the link secret \(path)")
            }
            return try checked([UInt8](data), origin: path)
        case (.some, .some):
            throw KeyFolderError(description: "give the link secret once: as a value or as a file, not both")
        case (nil, nil):
            break
        }
        let file = folder.appendingPathComponent("link-secret")
        if let data = FileManager.default.contents(atPath: file.path) {
            return try checked([UInt8](data), origin: file.path)
        }
        let secret = dependencies.randomBytes(minimumSecretLength)
        try AtomicFile.writeSecret(Data(secret), to: file.path)
        // Another process may have raced us to it: whoever renamed last won, read it back.
        return [UInt8](FileManager.default.contents(atPath: file.path) ?? Data(secret))
    }

    private static func checked(_ secret: [UInt8], origin: String) throws -> [UInt8] {
        // A secret with a trailing newline (`echo ... > file`) keeps it: it is bytes, not text.
        guard secret.count >= minimumSecretLength else {
            throw KeyFolderError(description: "\(origin) is shorter than \(minimumSecretLength) bytes")
        }
        return secret
    }

    /// The accounts of the `organisers.json` earlier versions kept in `folder` (bcrypt hashes),
    /// for a one-time import into the store; `nil` when there is no such file.
    public static func formerOrganiserAccounts(in folder: URL) throws -> [OrganiserAccount]? {
        let file = folder.appendingPathComponent(formerOrganiserFile)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode([OrganiserAccount].self, from: data)
        } catch {
            throw KeyFolderError(description: "\(file.path) is not a list of organiser accounts: \(error)")
        }
    }

    /// The file name of the organiser accounts of earlier versions.
    public static let formerOrganiserFile = "organisers.json"

    /// Renames `name` of `folder` to `name.imported` once its content is in the store, so that
    /// it is not imported again and nobody mistakes it for the live data. Returns whether it
    /// was renamed (a read-only folder keeps it; importing again adds nothing).
    @discardableResult
    public static func markImported(_ name: String, in folder: URL) -> Bool {
        let file = folder.appendingPathComponent(name)
        return (try? FileManager.default.moveItem(atPath: file.path, toPath: file.path + ".imported")) != nil
    }
}
