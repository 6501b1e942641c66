import FileSupport
import Foundation
import Synchronization

/// What happened to a message handed to the outbox.
public struct Delivery: Sendable {
    /// The record holding the message's cause.
    public let record: MessageRecord
    /// False when a message with the same cause had been written before: nothing was written.
    public let isNew: Bool
}

/// A Maildir-style folder of complete `.eml` files that any relay can send as they are.
///
/// Each file is written in `tmp/`, flushed to disk, recorded in the log, then renamed
/// into `new/`: a file in `new/` is always complete, even if the process is killed while
/// writing. The log makes delivery idempotent: a cause that is already recorded is not
/// written again. Relays take files from `new/` (and may move them to `cur/` or delete them).
public actor Outbox {
    public nonisolated let directory: URL
    private let log: any MessageLog
    private let host = POSIXFile.hostName
    private let processID = getpid()
    /// Counts the files of every outbox of the process: two outboxes on one folder (tests,
    /// or two services of one process) must not pick the same name in the same microsecond.
    private static let counter = Atomic<Int>(0)
    private var recovered = false

    /// Opens the outbox at `directory`, creating it (and its parents) if needed.
    /// - Parameter log: where records are kept; by default `index.jsonl` in the folder.
    public init(directory: URL, log: (any MessageLog)? = nil) throws {
        self.directory = directory
        try POSIXFile.makeDirectories(directory.path)
        for folder in ["tmp", "new", "cur"] {
            try POSIXFile.makeDirectory(directory.appending(path: folder).path)
        }
        self.log = try log ?? FileMessageLog(directory: directory)
    }

    /// Writes the message unless one with the same cause was written before.
    public func deliver(_ message: ComposedMessage) async throws -> Delivery {
        let deliveries = try await deliver([message])
        return deliveries[0]
    }

    /// Writes a batch of messages with one flush to disk for the whole batch (as a
    /// schedule publication needs), skipping causes already written, including repeats
    /// inside the batch. Deliveries come back in the order of `messages`.
    public func deliver(_ messages: [ComposedMessage]) async throws -> [Delivery] {
        try await recoverIfNeeded()
        var known: [String: MessageRecord] = [:]
        var fresh: [(message: ComposedMessage, record: MessageRecord)] = []
        for message in messages where known[message.cause] == nil {
            if let existing = try await log.record(forCause: message.cause) {
                known[message.cause] = existing
                continue
            }
            let record = MessageRecord(
                id: String(message.messageID.prefix { $0 != "@" }), kind: message.kind, language: message.language,
                recipient: message.recipient.address, subject: message.subject, cause: message.cause,
                file: uniqueFileName(), createdAt: message.date)
            known[message.cause] = record
            fresh.append((message, record))
        }

        let tmp = directory.appending(path: "tmp")
        let new = directory.appending(path: "new")
        let paths = fresh.map { tmp.appending(path: $0.record.file).path }
        do {
            for (item, path) in zip(fresh, paths) {
                try POSIXFile.create(path, data: item.message.data, sync: fresh.count == 1)
            }
            if fresh.count > 1 { try POSIXFile.syncFileSystem(holding: tmp.path, files: paths) }
        } catch {
            for path in paths { unlink(path) }
            throw error
        }

        var written: Set<String> = []
        if !fresh.isEmpty {
            let holders = try await log.insert(fresh.map(\.record))
            for ((item, path), holder) in zip(zip(fresh, paths), holders) {
                if holder.id == item.record.id && holder.file == item.record.file {
                    try POSIXFile.rename(path, to: new.appending(path: item.record.file).path)
                    written.insert(item.record.cause)
                } else {
                    unlink(path)  // another writer recorded this cause first
                    known[item.record.cause] = holder
                }
            }
            if !written.isEmpty { try POSIXFile.syncDirectory(new.path) }
        }
        var reported: Set<String> = []
        return messages.compactMap { message in
            guard let record = known[message.cause] else { return nil }
            let isNew = written.contains(message.cause) && reported.insert(message.cause).inserted
            return Delivery(record: record, isNew: isNew)
        }
    }

    /// Every message recorded, oldest first.
    public func records() async throws -> [MessageRecord] {
        try await log.allRecords()
    }

    /// The record whose id is `id` or starts with it.
    /// - Throws: `OutboxError.noSuchMessage` or `.ambiguousID`.
    public func record(matching id: String) async throws -> MessageRecord {
        let all = try await log.allRecords()
        if let exact = all.first(where: { $0.id == id }) { return exact }
        let matches = id.isEmpty ? [] : all.filter { $0.id.hasPrefix(id) }
        guard let match = matches.first else { throw OutboxError.noSuchMessage(id) }
        guard matches.count == 1 else { throw OutboxError.ambiguousID(id, matches: matches.count) }
        return match
    }

    /// Where the message's file is now: `new/` until a relay takes it, `cur/` if the relay
    /// moved it there (Maildir readers add `:2,FLAGS`); nil once it was removed.
    public nonisolated func fileURL(for record: MessageRecord) -> URL? {
        let new = directory.appending(path: "new/\(record.file)")
        if FileManager.default.fileExists(atPath: new.path) { return new }
        let cur = directory.appending(path: "cur")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cur.path)) ?? []
        return names.first { $0 == record.file || $0.hasPrefix(record.file + ":") }.map { cur.appending(path: $0) }
    }

    /// Finishes what a crash interrupted: a recorded message still in `tmp/` moves to
    /// `new/`; an unrecorded file in `tmp/` older than 36 hours (Maildir's rule) is removed.
    /// Runs once before the first delivery.
    @discardableResult
    public func recover() async throws -> (completed: Int, removed: Int) {
        recovered = true
        let tmp = directory.appending(path: "tmp")
        let names = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        guard !names.isEmpty else { return (0, 0) }
        let recordedFiles = Set(try await log.allRecords().map(\.file))
        var completed = 0
        var removed = 0
        for name in names {
            let path = tmp.appending(path: name).path
            if recordedFiles.contains(name) {
                let target = directory.appending(path: "new/\(name)").path
                try POSIXFile.rename(path, to: target)
                completed += 1
            } else if let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]
                as? Date,
                Date().timeIntervalSince(modified) > 36 * 3600
            {
                unlink(path)
                removed += 1
            }
        }
        if completed > 0 { try POSIXFile.syncDirectory(directory.appending(path: "new").path) }
        return (completed, removed)
    }

    private func recoverIfNeeded() async throws {
        if !recovered { try await recover() }
    }

    /// Maildir's `time.unique.host`: seconds, then microseconds, process id and a counter.
    private func uniqueFileName() -> String {
        let number = Self.counter.add(1, ordering: .relaxed).newValue
        var now = timeval()
        gettimeofday(&now, nil)
        return "\(now.tv_sec).M\(now.tv_usec)P\(processID)Q\(number).\(host).eml"
    }
}
