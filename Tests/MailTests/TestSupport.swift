import Foundation
import Testing

@testable import Mail

/// Paths, composers and the Python inspector shared by the tests.
enum TestSupport {
    /// The repository's root, found from this file's place in Tests/MailTests (through
    /// symbolic links, so that a copy of the templates is a copy of the real files).
    static let repository = URL(filePath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let templatesFolder = repository.appending(path: "templates", directoryHint: .isDirectory)

    static func composer() throws -> MailComposer {
        MailComposer(
            templates: try MailTemplates(directory: templatesFolder), settings: try MailSamples.settings(),
            clock: { MailSamples.clockTime })
    }

    /// A fresh folder under the system's temporary directory.
    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let folder = FileManager.default.temporaryDirectory.appending(
            path: "mail-tests-\(safe)-\(UUID().uuidString)", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes the messages to files and returns what Python's `email` package reads in them.
    static func inspect(_ messages: [Data]) throws -> [InspectedMessage] {
        let folder = try temporaryFolder("inspect")
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, data) in messages.enumerated() {
            let file = folder.appending(path: "\(index).eml")
            try data.write(to: file)
            paths.append(file.path)
        }
        let result = try run(["python3", "-c", InspectorScript.source] + paths)
        guard result.status == 0 else {
            throw InspectorError(message: "the Python inspector failed (\(result.status)): \(result.error)")
        }
        return try JSONDecoder().decode([InspectedMessage].self, from: Data(result.output.utf8))
    }

    /// Runs a program found on PATH and collects its output.
    static func run(_ arguments: [String], input: Data? = nil) throws -> (status: Int32, output: String, error: String)
    {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(input) }
        try standardInput.fileHandleForWriting.close()
        // Read before waiting: a full pipe would block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Fails the current test, here and on CI alike, when Python's `icalendar` package could
    /// not read the message's calendars: a calendar test must never pass without checking.
    static func requireICalendar(_ inspected: InspectedMessage) throws {
        let calendarsRead = inspected.icalendar
        try #require(
            calendarsRead,
            "Python's icalendar package is missing (scripts/install-dependencies.sh installs it): the .ics cannot be checked"
        )
    }
}

struct InspectorError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// What `fixtures/inspect_eml.py` reports about one message.
struct InspectedMessage: Decodable, Sendable {
    struct File: Decodable, Sendable {
        let contentType: String
        let filename: String?
        let disposition: String?
        let contentID: String?
        let size: Int
        let pngSize: [Int]

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type", filename, disposition, contentID = "content_id", size
            case pngSize = "png_size"
        }
    }

    struct Calendar: Decodable, Sendable {
        struct Zone: Decodable, Sendable {
            struct Block: Decodable, Sendable {
                let kind: String
                let start: String
                let offsetFrom: String
                let offsetTo: String
                enum CodingKeys: String, CodingKey {
                    case kind, start, offsetFrom = "offset_from", offsetTo = "offset_to"
                }
            }
            let tzid: String?
            let blocks: [Block]
        }

        struct Event: Decodable, Sendable {
            let uid: String?
            let sequence: Int
            let status: String?
            let summary: String?
            let description: String?
            let location: String?
            let startUTC: String
            let endUTC: String
            let tzid: String?
            let organizer: String?
            let attendees: [String?]
            let attendeeNames: [String?]

            enum CodingKeys: String, CodingKey {
                case uid, sequence, status, summary, description, location, tzid, organizer, attendees
                case startUTC = "start_utc", endUTC = "end_utc", attendeeNames = "attendee_names"
            }
        }

        let methodParameter: String?
        let raw: String
        let method: String?
        let timezones: [Zone]?
        let events: [Event]?

        enum CodingKeys: String, CodingKey {
            case methodParameter = "method_parameter", raw, method, timezones, events
        }
    }

    let defects: [String]
    let bareLineFeeds: Int
    let maxLineOctets: Int
    let maxHeaderLineOctets: Int
    let subject: String?
    let fromName: String
    let fromAddress: String
    let toName: String
    let toAddress: String
    let replyTo: String?
    let date: String?
    let messageID: String?
    let mimeVersion: String?
    let contentTypes: [String]
    let text: String?
    let html: String?
    let files: [File]
    let calendars: [Calendar]
    let icalendar: Bool

    enum CodingKeys: String, CodingKey {
        case defects, subject, date, text, html, files, calendars, icalendar
        case bareLineFeeds = "bare_line_feeds", maxLineOctets = "max_line_octets"
        case maxHeaderLineOctets = "max_header_line_octets", fromName = "from_name", fromAddress = "from_address"
        case toName = "to_name", toAddress = "to_address", replyTo = "reply_to", messageID = "message_id"
        case mimeVersion = "mime_version", contentTypes = "content_types"
    }
}
