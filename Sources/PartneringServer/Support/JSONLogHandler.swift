import Foundation
import Logging
import PartneringCore

/// A swift-log handler that writes each entry as one line of JSON (`logFormat: json`), for
/// log collectors: `{"label":…,"level":"info","message":…,"metadata":{…},"timestamp":…}`,
/// keys sorted, the time in UTC with milliseconds, metadata as JSON strings, arrays and
/// objects. A request's lines carry its `request_id` (see ``RequestIDMiddleware``).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for loggers labelled `label`, writing each line (with its newline) through
    /// `write`: by default to standard error in one `write(2)`, so that lines of concurrent
    /// requests never interleave.
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        write(
            Self.line(
                time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }

    /// The JSON line of one entry, newline included.
    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata)
        -> String
    {
        var object: [String: Any] = [
            "timestamp": InternetTime.string(time, milliseconds: true), "level": level.rawValue, "label": label,
            "message": message,
        ]
        if !metadata.isEmpty { object["metadata"] = metadata.mapValues(json) }
        // Strings, arrays and dictionaries of strings always serialize.
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{\"level\":\"error\",\"message\":\"unserializable log entry\"}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    /// Writes `line` to standard error at once.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }
}
