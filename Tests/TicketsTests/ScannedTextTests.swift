import Foundation
import PartneringCore
import Testing

@testable import Tickets

/// Tickets typed by a US keyboard-wedge scanner into a French AZERTY desk computer.
@Suite struct ScannedTextTests {
    /// What French AZERTY shows for each key position a US scanner presses, written out
    /// from the two keyboards, row by row (unshifted US key → AZERTY; Shift+US key →
    /// Shift+AZERTY), independently of the table in the library.
    static func typedOnAZERTY(_ text: String) -> String {
        let usRows = ["1234567890-", "QWERTYUIOP", "ASDFGHJKL;", "ZXCVBNM,./"]
        let azertyRows = ["&é\"'(-è_çà)", "AZERTYUIOP", "QSDFGHJKLM", "WXCVBN,;:!"]
        let azertyShiftedRows = ["1234567890°", "AZERTYUIOP", "QSDFGHJKLM", "WXCVBN?./§"]
        let usShifted: [Character: Character] = ["$": "4", "%": "5", "*": "8", ":": ";", "+": "="]
        return String(
            text.map { character -> Character in
                if character == " " { return " " }
                if character == "+" { return "+" }  // same key, shifted, on both layouts
                let isShifted = character.isLetter || usShifted[character] != nil
                let key = usShifted[character] ?? character
                for (row, keys) in usRows.enumerated() {
                    if let column = Array(keys).firstIndex(of: key) {
                        let target = isShifted ? azertyShiftedRows[row] : azertyRows[row]
                        return Array(target)[column]
                    }
                }
                return character
            })
    }

    @Test func theGoldenTokensComeBackFromTheirAZERTYReading() {
        for token in [TestVectors.tokenA, TestVectors.tokenB, TestVectors.tamperedA] {
            let garbled = Self.typedOnAZERTY(token)
            #expect(garbled.hasPrefix("PT&M"))
            #expect(garbled != token)
            #expect(ScannedText.repaired(garbled) == token)
        }
    }

    @Test func everyBase45CharacterSurvivesTheRoundTrip() {
        let alphabet = String(decoding: Base45.alphabet, as: UTF8.self)
        #expect(ScannedText.repaired("PT1:" + alphabet) == "PT1:" + alphabet)
        #expect(ScannedText.repaired(Self.typedOnAZERTY("PT1:" + alphabet)) == "PT1:" + alphabet)
    }

    @Test func theVerifierAcceptsAGarbledOrCapsLockedTicket() throws {
        let verifier = TicketVerifier(
            keys: TicketKeySet([try TestVectors.signingKey.publicKey]), revocations: RevocationList(),
            event: TestVectors.event, clock: { TestVectors.eventMorning })
        #expect(verifier.verify(Self.typedOnAZERTY(TestVectors.tokenA)) == .valid(TestVectors.claimsA))
        #expect(verifier.verify(TestVectors.tokenA.lowercased()) == .valid(TestVectors.claimsA))
        #expect(verifier.verify(Self.typedOnAZERTY(TestVectors.tamperedA)).refusal == .badSignature)
        // The strict parser forgives nothing: repairs are the verifier's, for desks.
        #expect(throws: TicketToken.FormatError.self) {
            try TicketToken(text: TestVectors.tokenA.lowercased())
        }
    }

    @Test func otherTextsAreLeftAlone() {
        for text in ["", "hello", "PT2:ABC", TestVectors.tokenA] {
            #expect(ScannedText.repaired(text) == text)
        }
    }
}
