import CheckIn
import Foundation
import PartneringCore
import Testing
import Tickets

@Suite("Scanned text: keyboard-layout mix-ups")
struct ScannedTextTests {
    /// Golden vector A of docs/tickets.md: it holds digits, letters, space-free punctuation
    /// (`:` `/` `%` `+` `-` `.` `*`), `A`, `Q`, `M`, `W` and `Z`: every kind of swap.
    static let vectorA =
        "PT1:J6036WS8SX507H0QS00+0J611J15QAH00000RG3S39/FDWGGFGDU%KLNG8:HXFPOA3++BZ:O/Z2CKK67E/-5BEHVX8H-624P8L4.S2QMFN/9**IAOV:V0MDQN4L1NHUTV0:MNBKAG5PW5AAQKHTZ13"

    /// What a US-QWERTY scanner types on a French AZERTY desk.
    static func onAZERTY(_ text: String) -> String {
        String(text.map { ScannedText.qwertyToAZERTY[$0] ?? $0 })
    }

    @Test("a genuine ticket is left alone, line breaks around it dropped")
    func genuine() {
        let scanned = ScannedText("\(Self.vectorA)\r\n")
        #expect(scanned.text == Self.vectorA)
        #expect(scanned.repair == .none)
    }

    @Test("an AZERTY desk's mix-ups are undone exactly")
    func azerty() {
        let typed = Self.onAZERTY(Self.vectorA)
        #expect(typed.hasPrefix("PT&M"))
        #expect(typed != Self.vectorA)
        let scanned = ScannedText(typed + "\n")
        #expect(scanned.text == Self.vectorA)
        #expect(scanned.repair == .azerty)
    }

    @Test("the AZERTY table is one-to-one on the ticket alphabet")
    func oneToOne() {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        let typed = alphabet.map { ScannedText.qwertyToAZERTY[$0] ?? $0 }
        #expect(Set(typed).count == alphabet.count)
        #expect(typed.map { ScannedText.azertyToQWERTY[$0] ?? $0 } == alphabet)
        // The digits come out as the unshifted AZERTY number row.
        #expect(String("1234567890".map { ScannedText.qwertyToAZERTY[$0] ?? $0 }) == "&é\"'(-è_çà")
    }

    @Test("lower case, with or without AZERTY, is undone")
    func lowerCase() {
        let lower = ScannedText(Self.vectorA.lowercased())
        #expect(lower.text == Self.vectorA)
        #expect(lower.repair == .lowerCase)
        let both = ScannedText(Self.onAZERTY(Self.vectorA).lowercased())
        #expect(both.text == Self.vectorA)
        #expect(both.repair == .azertyLowerCase)
    }

    @Test("freshly issued tokens survive the AZERTY round trip")
    func manyTokens() throws {
        let issuer = TicketIssuer(key: try TicketSigningKey.generate(), event: "onco-hemato-paris-2027")
        let verifier = TicketVerifier(
            keys: TicketKeySet([issuer.key.publicKey]), revocations: RevocationList(), event: "onco-hemato-paris-2027",
            clock: { Date(timeIntervalSince1970: 1_800_000_000) })
        for number in 0..<200 {
            let token = try issuer.issue(
                participantNumber: number, role: number.isMultiple(of: 2) ? .company : .expert,
                notBefore: Date(timeIntervalSince1970: 1_790_000_000),
                expiry: Date(timeIntervalSince1970: 1_810_000_000)
            ).token
            let scanned = ScannedText(Self.onAZERTY(token))
            #expect(scanned.text == token)
            #expect(verifier.verify(scanned.text).code == "valid")
        }
    }

    @Test("text that is no ticket in any layout is passed on trimmed, for the verifier to refuse")
    func notATicket() {
        let scanned = ScannedText("  https://example.org/\n")
        #expect(scanned.text == "https://example.org/")
        #expect(scanned.repair == .none)
    }
}
