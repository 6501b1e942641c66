import Foundation
import PartneringCore
import Testing

@testable import Tickets

@Suite struct KeyStoreTests {
    let folder: TemporaryFolder
    let store: TicketKeyStore

    init() throws {
        folder = try TemporaryFolder()
        store = TicketKeyStore(dataDirectory: folder.url)
    }

    func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue
    }

    @Test func generatedPrivateKeyIsPKCS8WithMode0600InAPrivateFolder() throws {
        let key = try store.generate()
        let file = folder.file("keys/signing-key.pem")
        #expect(try mode(file) == 0o600)
        #expect(try mode(folder.file("keys")) == 0o700)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try store.signingKey().keyID == key.keyID)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.file("keys").path)
        #expect(leftovers.sorted() == ["public", "signing-key.pem"])
    }

    @Test func generateRefusesToReplaceAnExistingKey() throws {
        let first = try store.generate()
        let error = #expect(throws: TicketKeyStore.StoreError.self) { try store.generate() }
        #expect(error?.description.contains("keys rotate") == true)
        #expect(try store.signingKey().keyID == first.keyID)
    }

    @Test func rotationKeepsTicketsSignedWithTheOldKeyValid() throws {
        let first = try store.generate()
        let event: EventID = "onco-paris-2026"
        let start = Date(timeIntervalSince1970: 1_773_298_800)
        let old = try TicketIssuer(key: try store.signingKey(), event: event).issue(
            participantNumber: 1, role: .expert, notBefore: start, expiry: start + 3600)
        let (previous, current) = try store.rotate()
        #expect(previous == first.keyID)
        #expect(current.keyID != first.keyID)
        #expect(try store.signingKey().keyID == current.keyID)
        #expect(try mode(folder.file("keys/signing-key.pem")) == 0o600)
        let new = try TicketIssuer(key: try store.signingKey(), event: event).issue(
            participantNumber: 2, role: .company, notBefore: start, expiry: start + 3600)
        let keys = try store.keySet()
        #expect(Set(keys.keys.map(\.keyID)) == [first.keyID, current.keyID])
        let desk = TicketVerifier(
            keys: keys, revocations: RevocationList(), event: event, clock: { start + 60 })
        #expect(desk.verify(old.token).code == "valid")
        #expect(desk.verify(new.token).code == "valid")
    }

    @Test func aPrivateKeyReadableByOthersIsRefused() throws {
        try store.generate()
        let file = folder.file("keys/signing-key.pem")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let error = #expect(throws: TicketKeyStore.StoreError.self) { try store.signingKey() }
        #expect(error?.description.contains("chmod 600") == true)
    }

    @Test func aMissingKeyNamesTheCommandThatMakesOne() throws {
        let error = #expect(throws: TicketKeyStore.StoreError.self) { try store.signingKey() }
        #expect(error?.description.contains("partnering keys generate") == true)
    }

    @Test func aCorruptKeyFileIsNamedInTheError() throws {
        try store.generate()
        let file = folder.file("keys/signing-key.pem")
        try FileManager.default.removeItem(at: file)
        #expect(
            FileManager.default.createFile(
                atPath: file.path, contents: Data("not a key".utf8),
                attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: TicketKeyStore.StoreError.self) { try store.signingKey() }
        #expect(error?.description.contains("signing-key.pem") == true)
        #expect(error?.description.contains("PKCS#8") == true)
    }

    @Test func thePrivateKeyNeverAppearsInDescriptions() throws {
        let key = try TicketSigningKey(seed: TestVectors.bytes(TestVectors.seedHex))
        let texts = [String(describing: key), String(reflecting: key), "\(key)"]
        for text in texts {
            #expect(!text.contains("9d61"))
            #expect(!text.contains("MC4C"))
        }
    }
}

@Suite struct KeySetTests {
    @Test func theJSONKeySetIsAJWKSetThatRoundTrips() throws {
        let keys = TicketKeySet([try TestVectors.signingKey.publicKey, try TicketSigningKey.generate().publicKey])
        let json = keys.json()
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let first = try #require((object["keys"] as? [[String: String]])?.first)
        #expect(first["kty"] == "OKP")
        #expect(first["crv"] == "Ed25519")
        #expect(first["kid"] == TestVectors.keyID)
        // RFC 8037's own example key: the same 32 bytes in base64url.
        #expect(first["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        #expect(try TicketKeySet(json: json) == keys)
    }

    @Test func aKeySetWhoseKeyIDDoesNotMatchItsKeyIsRefused() throws {
        let json = Data(
            #"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"00000000","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#
                .utf8)
        let error = #expect(throws: TicketKeySet.ReadError.self) { try TicketKeySet(json: json) }
        #expect(error?.description.contains("key 1 (kid 00000000): kid does not match") == true)
    }

    @Test(
        "key sets that are not Ed25519 key sets are refused with the field",
        arguments: [
            (#"{"nope":[]}"#, "keys: required field is missing"),
            (#"{"keys":[{"kty":"RSA","crv":"Ed25519","x":"AA"}]}"#, "expected kty OKP"),
            (#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}"#, "32 bytes"),
            (#"{"keys":[{"kty":"OKP","crv":"Ed25519"}]}"#, "keys[0].x: required field is missing"),
            ("[1, 2", "not a JSON key set"),
        ])
    func refusedKeySets(json: String, expected: String) {
        let error = #expect(throws: TicketKeySet.ReadError.self) { try TicketKeySet(json: Data(json.utf8)) }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func thePEMExportReadsBackAsTheSameKey() throws {
        let key = try TestVectors.signingKey.publicKey
        let pem = try key.pem()
        #expect(
            pem.hasPrefix("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="))
        #expect(try TicketPublicKey(pem: pem) == key)
        #expect(throws: TicketKeyError.self) { try TicketPublicKey(pem: TestVectors.privateKeyPEM) }
    }
}

@Suite struct RevocationListTests {
    @Test func theJSONFormRoundTripsWithSortedIDs() throws {
        var list = RevocationList()
        let added = [
            list.revoke(TestVectors.ticketID("ffeeddccbbaa998877665544")),
            list.revoke(TestVectors.ticketID("000102030405060708090a0b")),
            list.revoke(TestVectors.ticketID("000102030405060708090A0B")),
        ]
        #expect(added == [true, true, false])
        let text = String(decoding: list.json(), as: UTF8.self)
        #expect(
            text == """
                {
                  "revoked" : [
                    "000102030405060708090a0b",
                    "ffeeddccbbaa998877665544"
                  ]
                }
                """)
        #expect(try RevocationList(json: list.json()) == list)
    }

    @Test func aBadTicketIDIsNamed() {
        let error = #expect(throws: RevocationList.ReadError.self) {
            try RevocationList(json: Data(#"{"revoked":["0001"]}"#.utf8))
        }
        #expect(error?.description.contains("24 hexadecimal digits, found \"0001\"") == true)
    }
}
