import Foundation
import PartneringCore
import Testing

@testable import Tickets

/// The golden vectors of docs/tickets.md: fixed key, fixed claims, expected tokens.
@Suite struct GoldenVectorTests {
    @Test func theTestKeyIsRFC8032Test1() throws {
        let key = try TestVectors.signingKey
        #expect(TestVectors.hex(key.publicKey.raw) == TestVectors.publicKeyHex)
        #expect(key.keyID.hex == TestVectors.keyID)
        let fromPEM = try TicketSigningKey(pkcs8PEM: TestVectors.privateKeyPEM)
        #expect(fromPEM.publicKey == key.publicKey)
    }

    @Test(
        "signing the vector claims gives the vector tokens",
        arguments: [
            (TestVectors.claimsA, TestVectors.tokenA), (TestVectors.claimsB, TestVectors.tokenB),
        ])
    func signing(claims: TicketClaims, token: String) throws {
        let issuer = TicketIssuer(key: try TestVectors.signingKey, event: TestVectors.event)
        let issued = try issuer.sign(claims)
        #expect(issued.token == token)
        #expect(issued.claims == claims)
    }

    @Test func vectorABodyAndSignature() throws {
        let token = try TicketToken(text: TestVectors.tokenA)
        #expect(TestVectors.hex(token.body) == TestVectors.bodyA)
        #expect(TestVectors.hex(token.signature) == TestVectors.signatureA)
        #expect(token.keyID.hex == TestVectors.keyID)
        #expect(token.ticketID.hex == "000102030405060708090a0b")
        #expect(token.eventTag == [0x41, 0x53, 0xB1])
        #expect(token.participantNumber == 17)
        #expect(token.role == .expert)
        #expect(token.notBefore == 1_772_323_200)
        #expect(token.expiry == 1_773_446_400)
    }

    @Test func theTamperedVectorIsVectorAWithOneBodyByteChanged() throws {
        var bytes = try Base45.decode(TestVectors.tokenA.dropFirst(TicketLayout.prefix.count))
        bytes[21] = 18
        #expect(TicketLayout.prefix + Base45.encode(bytes) == TestVectors.tamperedA)
    }

    @Test(
        "expected verdicts of the vectors",
        arguments: [
            (TestVectors.tokenA, TestVectors.eventMorning, "valid"),
            (TestVectors.tokenB, TestVectors.eventMorning, "valid"),
            (TestVectors.tamperedA, TestVectors.eventMorning, "bad_signature"),
            (TestVectors.tokenA, TestVectors.date(1_772_323_199), "not_yet_valid"),
            (TestVectors.tokenA, TestVectors.date(1_773_446_400), "expired"),
            (TestVectors.tokenB, TestVectors.date(1_773_342_000), "expired"),
        ])
    func verdicts(token: String, at moment: Date, code: String) throws {
        let verifier = TicketVerifier(
            keys: TicketKeySet([try TestVectors.signingKey.publicKey]), revocations: RevocationList(),
            event: TestVectors.event, clock: { moment })
        #expect(verifier.verify(token).code == code)
    }

    @Test func vectorAIsRevokedOtherEventOrUnknownKeyAsDocumented() throws {
        let testKey = try TestVectors.signingKey.publicKey
        // RFC 8032 test 2 public key: a genuine key, but not the one that signed vector A.
        let otherKey = try TicketPublicKey(
            raw: TestVectors.bytes("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))
        func verdict(keys: [TicketPublicKey], revoked: [TicketID] = [], event: EventID) -> TicketVerdict {
            TicketVerifier(
                keys: TicketKeySet(keys), revocations: RevocationList(revoked), event: event,
                clock: { TestVectors.eventMorning }
            ).verify(TestVectors.tokenA)
        }
        #expect(
            verdict(keys: [testKey], revoked: [TestVectors.claimsA.ticketID], event: TestVectors.event)
                == .refused(.revoked, TestVectors.claimsA))
        #expect(verdict(keys: [testKey], event: "onco-lyon-2026") == .refused(.otherEvent, nil))
        #expect(verdict(keys: [otherKey], event: TestVectors.event) == .refused(.unknownKey, nil))
        #expect(verdict(keys: [otherKey, testKey], event: TestVectors.event) == .valid(TestVectors.claimsA))
    }

    @Test func tokensHaveTheDocumentedLength() {
        #expect(TestVectors.tokenA.count == 154)
        #expect(TicketLayout.tokenLength == 154)
    }
}
