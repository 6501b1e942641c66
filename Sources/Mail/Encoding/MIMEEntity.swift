import Foundation

/// A MIME entity: a leaf with its already-encoded body, or a multipart of entities.
indirect enum MIMEEntity: Sendable {
    case leaf(headers: [String], body: String)
    case multipart(subtype: String, parts: [MIMEEntity])

    /// UTF-8 text in quoted-printable.
    static func text(_ text: String, subtype: String) -> MIMEEntity {
        .leaf(
            headers: [
                "Content-Type: text/\(subtype); charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
            ],
            body: QuotedPrintable.encode(text))
    }

    /// Binary content in base64, lines of 76 characters.
    static func binary(_ data: Data, headers: [String]) -> MIMEEntity {
        .leaf(
            headers: headers + ["Content-Transfer-Encoding: base64"],
            body: base64Lines(data))
    }

    /// Base64 in lines of 76 characters joined by CRLF (RFC 2045 section 6.8).
    static func base64Lines(_ data: Data) -> String {
        let encoded = Array(data.base64EncodedString().utf8)
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count + encoded.count / 38 + 2)
        var start = 0
        while start < encoded.count {
            if start > 0 { output += [13, 10] }
            let end = min(start + 76, encoded.count)
            output += encoded[start..<end]
            start = end
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the entity's headers and body (CRLF line endings) to `output`.
    ///
    /// Boundaries contain `=_`, which neither quoted-printable nor base64 output can
    /// contain, so they never collide with a body; the seed keeps them distinct per message.
    func write(into output: inout String, boundarySeed: String, counter: inout Int) {
        switch self {
        case .leaf(let headers, let body):
            for header in headers { output += header + "\r\n" }
            output += "\r\n"
            output += body
            output += "\r\n"
        case .multipart(let subtype, let parts):
            counter += 1
            let boundary = "=_\(boundarySeed).\(counter)"
            output += "Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"\r\n\r\n"
            for part in parts {
                output += "--\(boundary)\r\n"
                part.write(into: &output, boundarySeed: boundarySeed, counter: &counter)
            }
            output += "--\(boundary)--\r\n"
        }
    }
}

/// MIME parameter values (RFC 2045 section 5.1): quoted strings of printable ASCII.
enum MIMEParameter {
    /// A file name for `Content-Type`/`Content-Disposition`, quoted.
    static func fileName(_ name: String) throws -> String {
        let acceptable =
            !name.isEmpty && name.utf8.count <= 120
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" && scalar != "/"
            }
        guard acceptable else { throw MailError.invalidFileName(name) }
        return "\"\(name)\""
    }

    /// A bare token such as a media type `image/png` or a Content-ID `ticket@example.org`.
    static func token(_ value: String, field: String, allowing extra: Set<Unicode.Scalar> = []) throws -> String {
        let acceptable =
            !value.isEmpty && value.utf8.count <= 200
            && value.unicodeScalars.allSatisfy { scalar in
                HeaderText.isAtomText(scalar) || scalar == "." || extra.contains(scalar)
            }
        guard acceptable else { throw MailError.invalidMIMEValue(field: field, value: value) }
        return value
    }
}
