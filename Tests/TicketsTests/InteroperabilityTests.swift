import Foundation
import PartneringCore
import Testing

@testable import Tickets

/// Signatures made by the product verify with other implementations, from the exported
/// public key alone: the `openssl` command and Python's `cryptography` package.
@Suite struct InteroperabilityTests {
    let folder: TemporaryFolder
    let key: TicketSigningKey
    let ticket: TicketIssuer.SignedTicket

    init() throws {
        folder = try TemporaryFolder()
        key = try TicketSigningKey.generate()
        ticket = try TicketIssuer(key: key, event: "onco-paris-2026").issue(
            participantNumber: 123, role: .expert, notBefore: Date(timeIntervalSince1970: 1_773_298_800),
            expiry: Date(timeIntervalSince1970: 1_773_342_000))
    }

    /// Writes the signed message, the signature and the exported PEM public key.
    func writeSignatureFiles(signature: [UInt8]? = nil) throws -> (message: URL, signature: URL, key: URL) {
        let token = try TicketToken(text: ticket.token)
        let files = (folder.file("message"), folder.file("signature"), folder.file("public.pem"))
        try Data(token.signedMessage).write(to: files.0)
        try Data(signature ?? token.signature).write(to: files.1)
        try key.publicKey.pem().write(to: files.2, atomically: true, encoding: .utf8)
        return files
    }

    @Test func opensslVerifiesTheSignatureWithTheExportedPEM() throws {
        let files = try writeSignatureFiles()
        let result = try run(
            "openssl",
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", files.key.path, "-rawin", "-in", files.message.path,
                "-sigfile", files.signature.path,
            ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("Signature Verified Successfully"))
    }

    @Test func opensslRejectsAnAlteredSignature() throws {
        var signature = try TicketToken(text: ticket.token).signature
        signature[10] ^= 0x40
        let files = try writeSignatureFiles(signature: signature)
        let result = try run(
            "openssl",
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", files.key.path, "-rawin", "-in", files.message.path,
                "-sigfile", files.signature.path,
            ])
        #expect(result.status != 0)
    }

    @Test func pythonCryptographyVerifiesTheSignatureWithTheExportedPEM() throws {
        let files = try writeSignatureFiles()
        let script = """
            import sys
            from cryptography.hazmat.primitives.serialization import load_pem_public_key
            key = load_pem_public_key(open(sys.argv[1], "rb").read())
            key.verify(open(sys.argv[3], "rb").read(), open(sys.argv[2], "rb").read())
            print("verified")
            """
        let result = try run(
            "python3", ["-c", script, files.key.path, files.message.path, files.signature.path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "verified\n")
    }

    @Test func pythonCryptographyAcceptsTheProductsPrivateKeyFile() throws {
        // The PKCS#8 file is standard: Python derives the same public key from it.
        let store = TicketKeyStore(folder: folder.file("keys"))
        let stored = try store.generate()
        let script = """
            import sys
            from cryptography.hazmat.primitives import serialization as s
            key = s.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
            print(key.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw).hex())
            """
        let result = try run("python3", ["-c", script, folder.file("keys/signing-key.pem").path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == TestVectors.hex(stored.publicKey.raw) + "\n")
    }

    @Test(
        "an independent Python verifier agrees with ours on every verdict",
        arguments: [
            (1_773_300_000, "onco-paris-2026", false, "valid"),
            (1_773_298_799, "onco-paris-2026", false, "not_yet_valid"),
            (1_773_342_000, "onco-paris-2026", false, "expired"),
            (1_773_300_000, "onco-lyon-2026", false, "other_event"),
            (1_773_300_000, "onco-paris-2026", true, "bad_signature"),
        ])
    func referenceVerifier(now: Int, event: String, tamper: Bool, expected: String) throws {
        var token = ticket.token
        if tamper {
            var bytes = try Base45.decode(token.dropFirst(4))
            bytes[30] ^= 0x01
            token = "PT1:" + Base45.encode(bytes)
        }
        let keySetFile = folder.file("keys.json")
        try TicketKeySet([key.publicKey]).json().write(to: keySetFile)
        let script = folder.file("verify_ticket.py")
        try ReferenceVerifier.python.write(to: script, atomically: true, encoding: .utf8)
        let result = try run("python3", [script.path, token, keySetFile.path, event, String(now)])
        #expect(result.status == 0, "\(result.errors)")
        let ours = TicketVerifier(
            keys: TicketKeySet([key.publicKey]), revocations: RevocationList(), event: EventID(event),
            clock: { Date(timeIntervalSince1970: TimeInterval(now)) }
        ).verify(token)
        #expect(ours.code == expected)
        let theirs = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if expected == "valid" {
            #expect(theirs == "valid 123 expert \(ticket.claims.ticketID.hex)")
        } else {
            #expect(theirs == expected)
        }
    }

    @Test func theReferenceVerifierAcceptsTheGoldenVectorWithTheTestKey() throws {
        let keySetFile = folder.file("keys.json")
        try TicketKeySet([try TestVectors.signingKey.publicKey]).json().write(to: keySetFile)
        let script = folder.file("verify_ticket.py")
        try ReferenceVerifier.python.write(to: script, atomically: true, encoding: .utf8)
        let result = try run(
            "python3", [script.path, TestVectors.tokenA, keySetFile.path, "onco-paris-2026", "1773306000"])
        #expect(result.output == "valid 17 expert 000102030405060708090a0b\n", "\(result.errors)")
    }
}
