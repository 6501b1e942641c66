import Foundation
import PartneringCore
import Testing

@testable import Mail

/// The Maildir-style outbox: complete files only, one message per cause.
@Suite struct OutboxTests {
    static func message(_ participant: String, kind: MessageKind = .registrationConfirmed) throws -> ComposedMessage {
        var draft = try MailSamples.draft(kind, language: .fr)
        draft.values["participant_id"] = participant
        return try TestSupport.composer().compose(draft)
    }

    static func files(_ folder: URL, _ sub: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appending(path: sub).path).sorted()
    }

    @Test func deliveredMessageIsACompleteFileInNew() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try Outbox(directory: folder)
        let message = try Self.message("p-1")
        let delivery = try await outbox.deliver(message)
        #expect(delivery.isNew)
        #expect(try Self.files(folder, "tmp").isEmpty)
        let names = try Self.files(folder, "new")
        #expect(names == [delivery.record.file])
        #expect(names[0].hasSuffix(".eml") && names[0].split(separator: ".").count >= 4, "time.unique.host.eml")
        #expect(try Data(contentsOf: folder.appending(path: "new/\(names[0])")) == message.data)
        #expect(delivery.record.cause == "confirmation:p-1")
        #expect(delivery.record.recipient == "helene.dupre@example.org")
        #expect(outbox.fileURL(for: delivery.record)?.lastPathComponent == names[0])
    }

    @Test func sameCauseTwiceYieldsOneFile() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try Outbox(directory: folder)
        let first = try await outbox.deliver(try Self.message("p-1"))
        let again = try await outbox.deliver(try Self.message("p-1"))
        #expect(first.isNew && !again.isNew)
        #expect(again.record == first.record)
        #expect(try Self.files(folder, "new").count == 1)
        #expect(try await outbox.records().count == 1)
    }

    @Test func batchWritesOneFilePerCauseEvenWithRepeats() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try Outbox(directory: folder)
        let messages = try ["p-1", "p-2", "p-1", "p-3", "p-2"].map { try Self.message($0) }
        let deliveries = try await outbox.deliver(messages)
        #expect(deliveries.map(\.isNew) == [true, true, false, true, false])
        #expect(deliveries[0].record == deliveries[2].record)
        #expect(try Self.files(folder, "new").count == 3)
        #expect(try Self.files(folder, "tmp").isEmpty)
    }

    @Test func idempotencySurvivesReopeningTheOutbox() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await Outbox(directory: folder).deliver(try Self.message("p-1", kind: .schedulePublished))
        let reopened = try Outbox(directory: folder)
        let again = try await reopened.deliver(try Self.message("p-1", kind: .schedulePublished))
        #expect(!again.isNew)
        #expect(again.record.cause == "schedule:2:p-1")
        #expect(try Self.files(folder, "new").count == 1)
    }

    @Test func twoWritersSharingTheFolderSendEachCauseOnce() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Two outboxes with their own logs over the same files: as two processes would be.
        let first = try Outbox(directory: folder)
        let second = try Outbox(directory: folder)
        let messages = try (0..<20).map { try Self.message("p-\($0)") }
        async let fromFirst = first.deliver(messages)
        async let fromSecond = second.deliver(messages.reversed())
        let results = try await fromFirst + fromSecond
        #expect(results.filter(\.isNew).count == 20)
        #expect(try Self.files(folder, "new").count == 20)
        #expect(try Self.files(folder, "tmp").isEmpty)
        #expect(Set(try await first.records().map(\.cause)).count == 20)
    }

    @Test func recoveryFinishesARecordedMessageLeftInTmp() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A crash between recording the message and renaming its file: the record exists,
        // the file is still in tmp/.
        let log = try FileMessageLog(directory: folder)
        let message = try Self.message("p-9")
        let record = MessageRecord(
            id: "crashed", kind: message.kind, language: message.language, recipient: message.recipient.address,
            subject: message.subject, cause: message.cause, file: "1790841600.M1P1Q1.test.eml", createdAt: message.date)
        let outbox = try Outbox(directory: folder, log: log)
        try message.data.write(to: folder.appending(path: "tmp/\(record.file)"))
        _ = try await log.insert([record])
        let recovered = try await outbox.recover()
        #expect(recovered.completed == 1)
        #expect(try Self.files(folder, "new") == [record.file])
        let again = try await outbox.deliver(message)
        #expect(!again.isNew && again.record.id == "crashed")
    }

    @Test func unrecordedFreshFileInTmpIsLeftAlone() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try Outbox(directory: folder)
        try Data("partial".utf8).write(to: folder.appending(path: "tmp/being-written.eml"))
        let recovered = try await outbox.recover()
        #expect(recovered.completed == 0 && recovered.removed == 0, "another process may still be writing it")
        #expect(try Self.files(folder, "new").isEmpty)
    }

    @Test func tornIndexLineIsSkippedAndTheNextRecordStartsAFreshLine() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await Outbox(directory: folder).deliver(try Self.message("p-1"))
        let index = folder.appending(path: "index.jsonl")
        let handle = try FileHandle(forWritingTo: index)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"cause\":\"confirmation:p-2\",\"crea".utf8))
        try handle.close()
        let outbox = try Outbox(directory: folder)
        #expect(try await outbox.deliver(try Self.message("p-2")).isNew)
        let log = try FileMessageLog(directory: folder)
        #expect(try await log.allRecords().map(\.cause) == ["confirmation:p-1", "confirmation:p-2"])
        #expect(await log.skippedLines == 1)
    }

    @Test func recordsAreFoundByIdPrefix() async throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = InMemoryMessageLog()
        let outbox = try Outbox(directory: folder, log: log)
        let delivery = try await outbox.deliver(try Self.message("p-1"))
        #expect(try await outbox.record(matching: String(delivery.record.id.prefix(6))) == delivery.record)
        #expect(try await outbox.record(matching: delivery.record.id) == delivery.record)
        await #expect(throws: OutboxError.noSuchMessage("zzz")) { try await outbox.record(matching: "zzz") }
        let twins = ["abc1", "abc2"].map { id in
            MessageRecord(
                id: id, kind: .accessLink, language: .en, recipient: "a@example.org", subject: "s", cause: "c-\(id)",
                file: "\(id).eml", createdAt: Date())
        }
        _ = await log.insert(twins)
        await #expect(throws: OutboxError.ambiguousID("abc", matches: 2)) { try await outbox.record(matching: "abc") }
    }
}
