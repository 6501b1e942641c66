import Foundation
import PartneringCore
import Testing

@testable import Mail

/// Quoted-printable, RFC 2047 encoded-words, folding and header injection.
@Suite struct EncodingTests {
    /// Decodes quoted-printable texts with Python's `quopri`, an independent decoder.
    static func pythonDecode(_ encoded: [String]) throws -> [String] {
        let script = """
            import json, quopri, sys
            print(json.dumps([quopri.decodestring(t.encode("ascii")).decode("utf-8") for t in json.load(sys.stdin)]))
            """
        let result = try TestSupport.run(["python3", "-c", script], input: try JSONEncoder().encode(encoded))
        guard result.status == 0 else { throw InspectorError(message: result.error) }
        return try JSONDecoder().decode([String].self, from: Data(result.output.utf8))
    }

    static let quotedPrintableCases: [String] = [
        "a=b and 100% plain",
        "trailing space \nand tab\t\nend",
        String(repeating: "0123456789", count: 23),
        String(repeating: "é", count: 60) + "\n" + String(repeating: "x", count: 74) + "€€",
        ".\n.hidden\nFrom here\nFrom\nFromage",
        "mixed\r\nline\rends\n",
        "emoji 👩‍🔬 at the end of a long line ........................................👩‍🔬",
        "",
    ]

    @Test func quotedPrintableRoundTripsThroughPython() throws {
        let encoded = Self.quotedPrintableCases.map(QuotedPrintable.encode)
        let decoded = try Self.pythonDecode(encoded)
        for (original, back) in zip(Self.quotedPrintableCases, decoded) {
            let normalized = original.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
            #expect(back.replacing("\r\n", with: "\n") == normalized)
        }
    }

    @Test func quotedPrintableLinesStayWithinSeventySixCharacters() {
        for text in Self.quotedPrintableCases {
            for line in QuotedPrintable.encode(text).split(separator: "\r\n", omittingEmptySubsequences: false) {
                #expect(line.utf8.count <= 76, "\(line)")
                #expect(line.allSatisfy { $0.isASCII }, "quoted-printable is ASCII")
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "no trailing white space")
            }
        }
    }

    @Test func softBreaksNeverCutATripletOrAUTF8Sequence() {
        let encoded = QuotedPrintable.encode(String(repeating: "é", count: 60) + String(repeating: "€", count: 30))
        for line in encoded.split(separator: "\r\n") {
            // Each soft-broken line decodes to whole characters on its own.
            let body = line.hasSuffix("=") ? line.dropLast() : line
            var bytes: [UInt8] = []
            var index = body.startIndex
            while index < body.endIndex {
                if body[index] == "=" {
                    let hex = body[body.index(after: index)..<body.index(index, offsetBy: 3)]
                    bytes.append(UInt8(hex, radix: 16) ?? 0)
                    index = body.index(index, offsetBy: 3)
                } else {
                    bytes.append(UInt8(ascii: body[index].unicodeScalars.first ?? "?"))
                    index = body.index(after: index)
                }
            }
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(line)")
        }
    }

    @Test func quotedPrintableEscapesWhatTransportWouldChange() {
        #expect(QuotedPrintable.encode("a=b") == "a=3Db")
        #expect(QuotedPrintable.encode("end \nnext") == "end=20\r\nnext")
        #expect(QuotedPrintable.encode(".\nx") == "=2E\r\nx")
        #expect(QuotedPrintable.encode("From me\nFromage") == "=46rom me\r\nFromage")
        #expect(QuotedPrintable.encode("é") == "=C3=A9")
        #expect(QuotedPrintable.encode("a\r\nb\rc\nd") == "a\r\nb\r\nc\r\nd")
    }

    @Test func encodedWordsStayWithinSeventyFiveCharactersAndWholeCharacters() throws {
        let subject = "Réunion « Hélène Dupré » – 👩‍🔬 " + String(repeating: "éàü€ ", count: 30) + "fin"
        let header = try HeaderText.unstructured("Subject", subject)
        let lines = header.split(separator: "\r\n")
        #expect(lines.count > 3, "a long subject is folded")
        for line in lines {
            #expect(line.utf8.count <= 76, "\(line)")
            for word in line.split(separator: " ") where word.hasPrefix("=?") {
                #expect(word.utf8.count <= 75)
                #expect(word.hasPrefix("=?UTF-8?Q?") && word.hasSuffix("?="))
                let payload = word.dropFirst(10).dropLast(2)
                #expect(Self.decodeQ(payload) != nil, "\(word) decodes to whole UTF-8 characters")
            }
        }
        let message = try headerMessage(subject: subject)
        #expect(try TestSupport.inspect([message])[0].subject == subject)
    }

    @Test func asciiLookingLikeAnEncodedWordIsEncoded() throws {
        let subject = "Literal =?UTF-8?Q?not_a_word?= stays"
        #expect(try HeaderText.unstructured("Subject", subject).contains("=?UTF-8?Q?"))
        let inspected = try TestSupport.inspect([try headerMessage(subject: subject)])
        #expect(inspected[0].subject == subject)
    }

    @Test func plainASCIISubjectIsFoldedAtSpaces() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let header = try HeaderText.unstructured("Subject", subject)
        #expect(!header.contains("=?"))
        #expect(header.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(header.replacing("\r\n", with: "") == "Subject: " + subject)
    }

    @Test func displayNamesRoundTrip() throws {
        let names = [
            "Hélène Dupré", "Jean \"JJ\" O\\Brien", "Dupré, Hélène", "<script>", "Ana Souza", "李小龍",
            "Marie-Françoise de La Tour d’Auvergne-Lauraguais", "Μαρία Παπαδοπούλου",
        ]
        var messages: [Data] = []
        for name in names {
            messages.append(try headerMessage(subject: "x", to: try MailAddress("someone@example.org", name: name)))
        }
        let inspected = try TestSupport.inspect(messages)
        for (name, message) in zip(names, inspected) {
            #expect(message.defects.isEmpty, "\(name): \(message.defects)")
            #expect(message.toName == name)
            #expect(message.toAddress == "someone@example.org")
            #expect(message.maxHeaderLineOctets <= 78)
        }
    }

    /// A name too long for one encoded-word is split in several; Python's `decode_header`
    /// follows RFC 2047 section 6.2 (white space between encoded-words is dropped).
    @Test func longNonASCIINameIsSplitIntoWordsThatDecodeBackToIt() throws {
        let name = "Μαρία Παπαδοπούλου-Σπυροπούλου και Συνεργάτες Ανώνυμη Εταιρεία"
        let header = try HeaderText.addresses("To", [try MailAddress("x@example.org", name: name)])
        #expect(header.split(separator: "\r\n").count > 2)
        #expect(header.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        let phrase = String(header.dropFirst(4).prefix { $0 != "<" }).replacing("\r\n", with: "")
        let script = """
            import sys
            from email.header import decode_header, make_header
            print(str(make_header(decode_header(sys.stdin.read().strip()))), end="")
            """
        let result = try TestSupport.run(["python3", "-c", script], input: Data(phrase.utf8))
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == name)
    }

    @Test func lineBreakInAHeaderValueIsRefused() throws {
        #expect(throws: MailError.headerInjection(field: "To")) {
            try MailAddress("eve@example.org", name: "Eve\r\nBcc: all@example.org", field: "To")
        }
        #expect(throws: MailError.headerInjection(field: "address")) {
            try MailAddress("eve@example.org\nBcc: all@example.org")
        }
        #expect(throws: MailError.headerInjection(field: "Subject")) {
            try HeaderText.unstructured("Subject", "Hello\nBcc: all@example.org")
        }
        #expect(throws: MailError.headerInjection(field: "Subject")) {
            try HeaderText.unstructured("Subject", "Hello\rthere")
        }
        #expect(throws: MailError.headerInjection(field: "Subject")) {
            try headerMessage(subject: "Unicode line separator\u{2028}Bcc: x@example.org")
        }
        #expect(throws: MailError.controlCharacter(field: "Subject", scalar: 0)) {
            try headerMessage(subject: "nul\u{0}byte")
        }
    }

    @Test func invalidAddressesAreExplained() {
        for address in [
            "no-at-sign", "two@@example.org", "a b@example.org", "x@-bad.example", "é@example.org", ".a@b.c",
        ] {
            #expect(throws: MailError.self, "\(address)") { try MailAddress(address) }
        }
        #expect(
            throws: MailError.invalidAddress(
                field: "address", value: "x@",
                reason: "the domain must be ASCII labels of letters, digits and hyphens separated by dots")
        ) {
            try MailAddress("x@")
        }
    }

    @Test func attachmentNamesAndTypesAreChecked() throws {
        var message = try MailMessage(
            from: MailAddress("a@example.org"), to: [MailAddress("b@example.org")], subject: "x", date: Date(),
            timeZone: .gmt, messageID: "x@example.org", textBody: "t", htmlBody: "h")
        message.attachments = [MailAttachment(fileName: "evil\"\r\n.png", mediaType: "image/png", data: Data([1]))]
        #expect(throws: MailError.invalidFileName("evil\"\r\n.png")) { try message.rfc5322() }
        message.attachments = [MailAttachment(fileName: "ok.png", mediaType: "image/png\r\nX: y", data: Data([1]))]
        #expect(throws: MailError.invalidMIMEValue(field: "media type of ok.png", value: "image/png\r\nX: y")) {
            try message.rfc5322()
        }
    }

    @Test func base64LinesAreSeventySixCharacters() {
        let encoded = MIMEEntity.base64Lines(Data((0..<1000).map { UInt8($0 % 256) }))
        let lines = encoded.split(separator: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(Data(base64Encoded: lines.joined()) == Data((0..<1000).map { UInt8($0 % 256) }))
    }

    @Test func dateHeaderFollowsRFC5322() {
        let date = Date(timeIntervalSince1970: 1_790_841_600)  // 2026-10-01 08:00 UTC
        #expect(
            RFC5322Date.format(date, in: TimeZone(identifier: "Europe/Paris") ?? .gmt)
                == "Thu, 01 Oct 2026 10:00:00 +0200")
        #expect(
            RFC5322Date.format(date, in: TimeZone(identifier: "America/St_Johns") ?? .gmt)
                == "Thu, 01 Oct 2026 05:30:00 -0230")
    }

    /// A minimal message with the given subject and recipient.
    private func headerMessage(subject: String, to: MailAddress? = nil) throws -> Data {
        let message = MailMessage(
            from: try MailAddress("partnering@example.org", name: "Partnering"),
            to: [try to ?? MailAddress("someone@example.org")], subject: subject,
            date: Date(timeIntervalSince1970: 1_790_841_600), timeZone: .gmt, messageID: "test.1@example.org",
            textBody: "text", htmlBody: "<p>html</p>")
        return try message.rfc5322()
    }

    /// Decodes the payload of a Q encoded-word, or nil if it is not whole UTF-8.
    private static func decodeQ(_ payload: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = payload.startIndex
        while index < payload.endIndex {
            let character = payload[index]
            if character == "=" {
                let end = payload.index(index, offsetBy: 3)
                guard let byte = UInt8(payload[payload.index(after: index)..<end], radix: 16) else { return nil }
                bytes.append(byte)
                index = end
            } else {
                bytes.append(character == "_" ? 32 : UInt8(ascii: character.unicodeScalars.first ?? "?"))
                index = payload.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
