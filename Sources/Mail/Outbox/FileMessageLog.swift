import FileSupport
import Foundation

/// The message log as a JSON-lines file (`index.jsonl`) in the outbox folder: one record
/// per line, appended under an exclusive lock (`.index.lock`) and fsynced, so that
/// several processes sharing the outbox still send one message per cause.
///
/// A line cut short by a crash is skipped when read, and the next append starts on a
/// fresh line.
public actor FileMessageLog: MessageLog {
    public nonisolated let indexPath: String
    private let lockPath: String
    private var records: [MessageRecord] = []
    private var byCause: [String: MessageRecord] = [:]
    /// How far the index has been read: other processes may have appended since.
    private var readOffset: UInt64 = 0
    /// Complete lines that could not be decoded (hand edits, a torn write).
    public private(set) var skippedLines = 0

    /// - Parameter directory: the outbox folder (created if missing).
    public init(directory: URL) throws {
        try POSIXFile.makeDirectory(directory.path)
        indexPath = directory.appending(path: "index.jsonl").path
        lockPath = directory.appending(path: ".index.lock").path
    }

    public func record(forCause cause: String) throws -> MessageRecord? {
        try POSIXFile.withLock(lockPath) { try catchUp() }
        return byCause[cause]
    }

    public func allRecords() throws -> [MessageRecord] {
        try POSIXFile.withLock(lockPath) { try catchUp() }
        return records
    }

    public func insert(_ newRecords: [MessageRecord]) throws -> [MessageRecord] {
        try POSIXFile.withLock(lockPath) {
            try catchUp()
            var accepted: [MessageRecord] = []
            let result = newRecords.map { record -> MessageRecord in
                if let existing = byCause[record.cause] { return existing }
                byCause[record.cause] = record
                accepted.append(record)
                return record
            }
            if !accepted.isEmpty { try append(accepted) }
            records += accepted
            return result
        }
    }

    private func append(_ newRecords: [MessageRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = Data()
        for record in newRecords {
            data += try encoder.encode(record)
            data.append(0x0A)
        }
        let descriptor = open(indexPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw POSIXFile.Failure(operation: "open", path: indexPath, code: errno) }
        defer { close(descriptor) }
        // After a torn write the file does not end with a newline: start a fresh line.
        let size = lseek(descriptor, 0, SEEK_END)
        if size > 0 && UInt64(size) > readOffset { data.insert(0x0A, at: 0) }
        try POSIXFile.write(descriptor, data, path: indexPath)
        try POSIXFile.sync(descriptor, path: indexPath)
        readOffset = UInt64(lseek(descriptor, 0, SEEK_END))
    }

    /// Reads the lines appended since the last read (by this or another process).
    private func catchUp() throws {
        guard let handle = FileHandle(forReadingAtPath: indexPath) else { return }
        defer { try? handle.close() }
        try handle.seek(toOffset: readOffset)
        guard let data = try handle.readToEnd(), !data.isEmpty else { return }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var lineStart = data.startIndex
        while let newline = data[lineStart...].firstIndex(of: 0x0A) {
            let line = data[lineStart..<newline]
            lineStart = data.index(after: newline)
            guard !line.isEmpty else { continue }
            if let record = try? decoder.decode(MessageRecord.self, from: line) {
                if byCause[record.cause] == nil {
                    byCause[record.cause] = record
                    records.append(record)
                }
            } else {
                skippedLines += 1
            }
        }
        // A last line without its newline is still being written, or was torn: not read yet.
        readOffset += UInt64(data.distance(from: data.startIndex, to: lineStart))
    }
}
