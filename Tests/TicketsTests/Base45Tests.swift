import Testing

@testable import Tickets

@Suite struct Base45Tests {
    @Test(
        "RFC 9285 examples encode as the RFC says",
        arguments: [
            ("AB", "BB8"), ("Hello!!", "%69 VD92EX0"), ("base-45", "UJCLQE7W581"), ("ietf!", "QED8WEX0"),
        ])
    func rfcExamples(plain: String, encoded: String) throws {
        #expect(Base45.encode(Array(plain.utf8)) == encoded)
        #expect(try Base45.decode(encoded) == Array(plain.utf8))
    }

    @Test func emptyInputIsEmptyText() throws {
        #expect(Base45.encode([]) == "")
        #expect(try Base45.decode("") == [])
    }

    @Test func roundTripOfEveryLengthUpToTheTicketSize() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...101 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base45.encode(bytes)
            #expect(text.count == Base45.encodedLength(ofByteCount: length))
            #expect(try Base45.decode(text) == bytes)
        }
    }

    @Test func extremeValuesRoundTrip() throws {
        for bytes: [UInt8] in [[0xFF, 0xFF], [0xFF], [0, 0], [0]] {
            #expect(try Base45.decode(Base45.encode(bytes)) == bytes)
        }
        #expect(Base45.encode([0xFF, 0xFF]) == "FGW")
    }

    @Test func lowerCaseIsNotBase45() {
        #expect(throws: Base45.DecodingError.invalidCharacter(offset: 0)) {
            try Base45.decode("bb8")
        }
    }

    @Test func aLoneTrailingCharacterIsRefused() {
        #expect(throws: Base45.DecodingError.invalidLength(4)) { try Base45.decode("BB8B") }
    }

    @Test func groupsAboveTheirByteRangeAreRefused() {
        // "GGW" is 16 + 16·45 + 32·45² = 65536, one more than two bytes hold.
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 0)) { try Base45.decode("GGW") }
        // ":6" is 44 + 6·45 = 314, more than one byte holds.
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 3)) { try Base45.decode("BB8:6") }
    }
}
