import Foundation
import PartneringCore

/// A file carried by a message: attached, or shown inside the HTML part when it has a
/// Content-ID (`<img src="cid:...">`).
public struct MailAttachment: Sendable, Hashable {
    public var fileName: String
    /// The media type, such as `image/png` or `text/calendar`.
    public var mediaType: String
    /// Extra Content-Type parameters, such as `method` for a calendar (Outlook reads it).
    public var parameters: [String: String]
    public var data: Data
    /// When set, the file is an inline part of the HTML, referenced as `cid:<contentID>`.
    public var contentID: String?

    public init(
        fileName: String, mediaType: String, parameters: [String: String] = [:], data: Data,
        contentID: String? = nil
    ) {
        self.fileName = fileName
        self.mediaType = mediaType
        self.parameters = parameters
        self.data = data
        self.contentID = contentID
    }
}

/// A complete e-mail before it is written: addresses, subject, both bodies and files.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var date: Date
    /// The zone the `Date` header is written in.
    public var timeZone: TimeZone
    /// The Message-ID without its angle brackets: `local@domain`.
    public var messageID: String
    public var language: Language?
    public var textBody: String
    public var htmlBody: String
    /// Files shown inside the HTML part (each needs a `contentID`).
    public var inlineFiles: [MailAttachment]
    /// Files attached to the message.
    public var attachments: [MailAttachment]
    /// Further header fields, such as `X-Partnering-Kind`.
    public var extraHeaders: [(name: String, value: String)]

    public init(
        from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, date: Date,
        timeZone: TimeZone, messageID: String, language: Language? = nil, textBody: String, htmlBody: String,
        inlineFiles: [MailAttachment] = [], attachments: [MailAttachment] = [],
        extraHeaders: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID
        self.language = language
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.inlineFiles = inlineFiles
        self.attachments = attachments
        self.extraHeaders = extraHeaders
    }

    /// The message as an RFC 5322 file: CRLF line endings, no line over 998 octets
    /// (folded headers, quoted-printable text, base64 files).
    ///
    /// Layout: `multipart/mixed` { `multipart/alternative` { text/plain,
    /// `multipart/related` { text/html, inline files } }, attachments }; the multiparts
    /// that would hold a single part are left out.
    /// - Throws: `MailError` for a header value with a line break or an invalid name or type.
    public func rfc5322() throws -> Data {
        var output = ""
        output.reserveCapacity(textBody.utf8.count * 2 + htmlBody.utf8.count * 2 + 4096)
        try writeHeaders(into: &output)
        var counter = 0
        try body().write(into: &output, boundarySeed: boundarySeed, counter: &counter)
        return Data(output.utf8)
    }

    private var boundarySeed: String {
        String(messageID.prefix { $0 != "@" }.filter { $0.isLetter || $0.isNumber || $0 == "." })
    }

    private func writeHeaders(into output: inout String) throws {
        var lines: [String] = []
        lines.append(try HeaderText.addresses("From", [from]))
        lines.append(try HeaderText.addresses("To", to))
        if let replyTo { lines.append(try HeaderText.addresses("Reply-To", [replyTo])) }
        lines.append(try HeaderText.unstructured("Subject", subject))
        lines.append(try HeaderText.simple("Date", RFC5322Date.format(date, in: timeZone)))
        let id = try MIMEParameter.token(messageID, field: "Message-ID", allowing: ["@"])
        lines.append("Message-ID: <\(id)>")
        lines.append("MIME-Version: 1.0")
        if let language { lines.append("Content-Language: \(language.rawValue)") }
        for header in extraHeaders {
            let name = try MIMEParameter.token(header.name, field: "header name")
            lines.append(try HeaderText.unstructured(name, header.value))
        }
        for line in lines { output += line + "\r\n" }
    }

    private func body() throws -> MIMEEntity {
        var html = MIMEEntity.text(htmlBody, subtype: "html")
        if !inlineFiles.isEmpty {
            html = .multipart(subtype: "related", parts: [html] + (try inlineFiles.map { try part(for: $0) }))
        }
        let alternative = MIMEEntity.multipart(
            subtype: "alternative", parts: [.text(textBody, subtype: "plain"), html])
        if attachments.isEmpty { return alternative }
        return .multipart(subtype: "mixed", parts: [alternative] + (try attachments.map { try part(for: $0) }))
    }

    private func part(for file: MailAttachment) throws -> MIMEEntity {
        let type = try MIMEParameter.token(file.mediaType, field: "media type of \(file.fileName)")
        let name = try MIMEParameter.fileName(file.fileName)
        var contentType = "Content-Type: \(type)"
        for (key, value) in file.parameters.sorted(by: { $0.key < $1.key }) {
            let key = try MIMEParameter.token(key, field: "parameter of \(file.fileName)")
            let value = try MIMEParameter.token(value, field: "parameter \(key) of \(file.fileName)", allowing: ["-"])
            contentType += "; \(key)=\(value)"
        }
        var headers = [contentType + ";\r\n name=\(name)"]
        if let contentID = file.contentID {
            let id = try MIMEParameter.token(contentID, field: "Content-ID of \(file.fileName)", allowing: ["@"])
            headers.append("Content-ID: <\(id)>")
            headers.append("Content-Disposition: inline; filename=\(name)")
        } else {
            headers.append("Content-Disposition: attachment; filename=\(name)")
        }
        return .binary(file.data, headers: headers)
    }
}
