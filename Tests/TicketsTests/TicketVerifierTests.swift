import Foundation
import PartneringCore
import Testing

@testable import Tickets

/// Every verdict the verifier gives, on tickets made by the product.
@Suite struct TicketVerifierTests {
    let key: TicketSigningKey
    let issuer: TicketIssuer
    let notBefore = Date(timeIntervalSince1970: 1_773_298_800)
    let expiry = Date(timeIntervalSince1970: 1_773_342_000)

    init() throws {
        key = try TicketSigningKey.generate()
        issuer = TicketIssuer(key: key, event: "onco-paris-2026")
    }

    func verifier(
        keys: [TicketPublicKey]? = nil, revoked: [TicketID] = [], event: EventID = "onco-paris-2026",
        at moment: Date? = nil
    ) -> TicketVerifier {
        let now = moment ?? notBefore.addingTimeInterval(3600)
        return TicketVerifier(
            keys: TicketKeySet(keys ?? [key.publicKey]), revocations: RevocationList(revoked),
            event: event, clock: { now })
    }

    func issue(number: Int = 42, role: Role = .company) throws -> TicketIssuer.SignedTicket {
        try issuer.issue(participantNumber: number, role: role, notBefore: notBefore, expiry: expiry)
    }

    @Test func aFreshTicketIsValidAndStatesItsClaims() throws {
        let ticket = try issue(number: 7, role: .expert)
        let verdict = verifier().verify(ticket.token)
        #expect(verdict == .valid(ticket.claims))
        #expect(verdict.claims?.participantNumber == 7)
        #expect(verdict.claims?.role == .expert)
        #expect(verdict.claims?.event == "onco-paris-2026")
        #expect(verdict.claims?.keyID == key.keyID)
    }

    @Test func aParticipantsTicketCarriesNumberAndRoleAndNothingPersonal() throws {
        let participant = Participant(
            id: "p-9", number: 9, role: .company, category: "industry", status: .confirmed,
            name: "Zoé Martin", email: "zoe@example.org", organisation: "Hémato Bio",
            jobTitle: "BD", country: "FR", topics: [], profile: "", language: .fr,
            listedInDirectory: true, registeredAt: notBefore)
        let ticket = try issuer.issue(for: participant, notBefore: notBefore, expiry: expiry)
        #expect(ticket.claims.participantNumber == 9)
        #expect(ticket.claims.role == .company)
        let bytes = try Base45.decode(ticket.token.dropFirst(4))
        // Texts of five bytes or more: a random ticket id cannot hold one by chance.
        for personal in ["Martin", "zoe@example.org", "Hémato Bio", "industry"] {
            let needle = Array(personal.utf8)
            let found = (0...(bytes.count - needle.count)).contains {
                Array(bytes[$0..<$0 + needle.count]) == needle
            }
            #expect(!found, "\(personal) is in the ticket")
        }
    }

    @Test func twoTicketsGetDifferentRandomIDs() throws {
        #expect(try issue().claims.ticketID != issue().claims.ticketID)
    }

    @Test func theValidityPeriodIncludesNotBeforeAndExcludesExpiry() throws {
        let ticket = try issue()
        #expect(verifier(at: notBefore).verify(ticket.token).code == "valid")
        #expect(verifier(at: notBefore - 1).verify(ticket.token) == .refused(.notYetValid, ticket.claims))
        #expect(verifier(at: expiry - 1).verify(ticket.token).code == "valid")
        #expect(verifier(at: expiry).verify(ticket.token) == .refused(.expired, ticket.claims))
    }

    @Test func aRevokedTicketIsRefusedWithItsClaims() throws {
        let ticket = try issue()
        let verdict = verifier(revoked: [ticket.claims.ticketID]).verify(ticket.token)
        #expect(verdict == .refused(.revoked, ticket.claims))
    }

    @Test func reissuingRevokesThePreviousTicket() throws {
        let first = try issue()
        var revocations = RevocationList()
        let second = try issuer.reissue(
            replacing: first.claims.ticketID, revocations: &revocations, participantNumber: 42,
            role: .company, notBefore: notBefore, expiry: expiry)
        let desk = TicketVerifier(
            keys: TicketKeySet([key.publicKey]), revocations: revocations, event: "onco-paris-2026",
            clock: { self.notBefore + 60 })
        #expect(desk.verify(first.token).refusal == .revoked)
        #expect(desk.verify(second.token).code == "valid")
    }

    @Test func aTicketOfAnotherEventIsRefused() throws {
        let ticket = try issue()
        #expect(verifier(event: "onco-lyon-2026").verify(ticket.token) == .refused(.otherEvent, nil))
    }

    @Test func aTicketSignedByAKeyOutsideTheSetIsRefused() throws {
        let ticket = try issue()
        let stranger = try TicketSigningKey.generate().publicKey
        #expect(verifier(keys: [stranger]).verify(ticket.token) == .refused(.unknownKey, nil))
    }

    @Test func aForgedSignatureUnderAKnownKeyIDIsRefused() throws {
        // Another key signs claims that name the desk's key id.
        let forger = try TicketSigningKey.generate()
        let honest = try issue()
        var bytes = try Base45.decode(honest.token.dropFirst(4))
        let forgedSignature = try forger.sign(
            TicketLayout.signedMessage(body: bytes[0..<TicketLayout.bodyLength]))
        bytes.replaceSubrange(TicketLayout.bodyLength..., with: forgedSignature)
        #expect(verifier().verify("PT1:" + Base45.encode(bytes)) == .refused(.badSignature, nil))
    }

    @Test("changing any single byte of a ticket never admits it", arguments: 0..<100)
    func anyAlteredByteIsRefused(position: Int) throws {
        let ticket = try issue()
        var bytes = try Base45.decode(ticket.token.dropFirst(4))
        bytes[position] ^= 0x01
        let verdict = verifier().verify("PT1:" + Base45.encode(bytes))
        #expect(verdict.code != "valid")
        // Only the version, key id, role and time fields can break the format first.
        let expected: Set<TicketRefusal> = [.badSignature, .unknownKey, .unsupportedVersion, .malformed]
        #expect(verdict.refusal.map(expected.contains) == true)
    }

    @Test(
        "texts that are not tickets are malformed",
        arguments: [
            "", "hello", "PT1:", "PT1:ABC", "PT1 " + String(TestVectors.tokenA.dropFirst(4)),
            TestVectors.tokenA.lowercased(),
            String(TestVectors.tokenA.dropLast(3)), TestVectors.tokenA + "AAA",
            "pt2:" + TestVectors.tokenA.dropFirst(4), "https://example.org/ticket", "PT:ABC", "PT١:ABC",
        ])
    func malformed(text: String) {
        #expect(verifier().verify(text) == .refused(.malformed, nil))
    }

    @Test func theFormatErrorSaysWhatIsWrong() throws {
        let short = #expect(throws: TicketToken.FormatError.self) {
            try TicketToken(text: String(TestVectors.tokenA.dropLast()))
        }
        #expect(short?.description == "malformed: a ticket has 154 characters, this text 153")
        let lower = #expect(throws: TicketToken.FormatError.self) {
            try TicketToken(text: "PT1:" + TestVectors.tokenA.dropFirst(4).lowercased())
        }
        #expect(
            lower?.description
                == "malformed: after the prefix, character 1 is not one of the 45 Base45 characters")
        let huge = #expect(throws: TicketToken.FormatError.self) {
            try TicketToken(text: "PT1:" + String(repeating: "A", count: 1_000_000))
        }
        #expect(huge?.refusal == .malformed)
    }

    @Test func aLineBreakAroundTheTokenIsTolerated() throws {
        let ticket = try issue()
        #expect(verifier().verify(ticket.token + "\r\n").code == "valid")
        #expect(verifier().verify("\n" + ticket.token).code == "valid")
    }

    @Test func anotherFormatVersionIsUnsupported() throws {
        let ticket = try issue()
        #expect(verifier().verify("PT2:" + ticket.token.dropFirst(4)).refusal == .unsupportedVersion)
        var bytes = try Base45.decode(ticket.token.dropFirst(4))
        bytes[0] = 2
        #expect(verifier().verify("PT1:" + Base45.encode(bytes)).refusal == .unsupportedVersion)
    }

    @Test func theIssuerRefusesClaimsATicketCannotCarry() throws {
        #expect(throws: TicketIssuer.IssueError.self) { try issue(number: 65536) }
        #expect(throws: TicketIssuer.IssueError.self) { try issue(number: -1) }
        #expect(throws: TicketIssuer.IssueError.self) { try issue(role: "journalist") }
        #expect(throws: TicketIssuer.IssueError.self) {
            try issuer.issue(participantNumber: 1, role: .expert, notBefore: expiry, expiry: notBefore)
        }
        let error = #expect(throws: TicketIssuer.IssueError.self) { try issue(role: "Expert") }
        #expect(error?.description.contains("role \"Expert\"") == true)
    }

    @Test func theIssuerRoundsTimesDownToTheSecond() throws {
        let ticket = try issuer.issue(
            participantNumber: 1, role: .expert, notBefore: notBefore + 0.75, expiry: expiry + 0.5)
        #expect(ticket.claims.notBefore == notBefore)
        #expect(ticket.claims.expiry == expiry)
        #expect(verifier().verify(ticket.token) == .valid(ticket.claims))
    }

    @Test func everyRefusalHasAStableCodeAndBothLanguages() {
        let codes = TicketRefusal.allCases.map(\.code)
        #expect(
            codes == [
                "malformed", "unsupported_version", "unknown_key", "bad_signature", "other_event",
                "revoked", "not_yet_valid", "expired", "already_checked_in", "unknown_participant",
                "cancelled",
            ])
        for refusal in TicketRefusal.allCases {
            #expect(!refusal.message.fr.isEmpty && !refusal.message.en.isEmpty)
            #expect(refusal.message.fr != refusal.message.en)
        }
    }

    @Test func oneVerifierKeepsAnsweringRightAfterRefusingForgeries() throws {
        // Signing and verifying contexts are reused between calls; a failure must not
        // leave one in a state that changes the next answer.
        let desk = verifier()
        let genuine = try issue()
        var bytes = try Base45.decode(genuine.token.dropFirst(4))
        bytes[99] ^= 0x80
        let forged = "PT1:" + Base45.encode(bytes)
        let codes = (0..<6).map { desk.verify($0.isMultiple(of: 2) ? genuine.token : forged).code }
        #expect(codes == ["valid", "bad_signature", "valid", "bad_signature", "valid", "bad_signature"])
        let more = try (0..<3).map { _ in try issue().token }
        #expect(more.map { desk.verify($0).code } == ["valid", "valid", "valid"])
    }

    @Test func verificationIsSafeFromManyTasksAtOnce() async throws {
        let ticket = try issue()
        var bytes = try Base45.decode(ticket.token.dropFirst(4))
        bytes[50] ^= 0x01
        let forged = "PT1:" + Base45.encode(bytes)
        let desk = verifier()
        let codes = await withTaskGroup(of: String.self) { group in
            for round in 0..<64 {
                group.addTask { desk.verify(round.isMultiple(of: 3) ? forged : ticket.token).code }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(codes.filter { $0 == "valid" }.count == 64 - 22)
        #expect(codes.filter { $0 == "bad_signature" }.count == 22)
    }
}
