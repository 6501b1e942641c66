import Foundation
import PartneringCore
import Testing

@testable import Tickets

/// The active key from the key folder or from the deployment (an environment variable's PEM,
/// a mounted secret's file), as `partnering serve` configures it.
@Suite struct KeySourceTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    @Test func aGivenPEMSignsAndIsTrustedWithTheFolderKeysAndNothingIsWritten() throws {
        let earlier = try TicketKeyStore(dataDirectory: folder.url).generate()
        let given = try TicketSigningKey.generate()
        let source = try TicketKeySource(
            keyDirectory: folder.file("keys").path, pem: try given.pkcs8PEM(), pemFile: nil)

        #expect(source.isGiven)
        #expect(try source.signingKey(createsMissing: true).keyID == given.keyID)
        // Tickets of the folder's earlier key still verify; the folder's own private key is not used.
        #expect(try source.keySet().keys.map(\.keyID).sorted() == [earlier.keyID, given.keyID].sorted())
        #expect(try TicketKeyStore(dataDirectory: folder.url).signingKey().keyID == earlier.keyID)
    }

    @Test func aGivenFileNeedsNoKeyFolder() throws {
        let given = try TicketSigningKey.generate()
        let file = folder.file("mounted-secret.pem")
        try Data(try given.pkcs8PEM().utf8).write(to: file)
        let source = try TicketKeySource(
            keyDirectory: folder.file("absent").path, pem: nil, pemFile: file.path)

        #expect(try source.signingKey(createsMissing: true).keyID == given.keyID)
        #expect(try source.keySet().keys.map(\.keyID) == [given.keyID])
        #expect(!FileManager.default.fileExists(atPath: folder.file("absent").path), "nothing created")
    }

    @Test func theFolderKeyIsCreatedOnFirstStart() throws {
        let source = try TicketKeySource(keyDirectory: folder.file("keys").path, pem: nil, pemFile: nil)
        let created = try source.signingKey(createsMissing: true)
        #expect(!source.isGiven)
        #expect(try source.signingKey().keyID == created.keyID)
        #expect(try source.keySet().keys.map(\.keyID) == [created.keyID])
    }

    @Test func badOrDoubleKeysAreClearErrors() throws {
        let both = #expect(throws: TicketKeyStore.StoreError.self) {
            try TicketKeySource(keyDirectory: folder.url.path, pem: "x", pemFile: "y")
        }
        #expect(both?.description.contains("not both") == true)
        let missing = #expect(throws: TicketKeyStore.StoreError.self) {
            try TicketKeySource(keyDirectory: folder.url.path, pem: nil, pemFile: folder.file("nothing.pem").path)
        }
        #expect(missing?.description.contains("nothing.pem") == true)
        let garbage = try TicketKeySource(keyDirectory: folder.url.path, pem: "not a key", pemFile: nil)
        let refused = #expect(throws: TicketKeyStore.StoreError.self) { try garbage.signingKey() }
        #expect(refused?.description.contains("the configured ticket signing key") == true)
    }
}
