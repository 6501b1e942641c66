import Foundation

extension MailComposer {
    /// Composes many messages on all processor cores (a schedule publication composes one
    /// per participant); results come back in the order of `drafts`.
    /// - Throws: the first `MailError` met, naming its draft's kind and field.
    public func compose(_ drafts: [MessageDraft]) async throws -> [ComposedMessage] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, drafts.count / 8))
        guard workers > 1 else { return try drafts.map(compose) }
        let chunk = (drafts.count + workers - 1) / workers
        return try await withThrowingTaskGroup(of: (Int, [ComposedMessage]).self) { group in
            for start in stride(from: 0, to: drafts.count, by: chunk) {
                let slice = Array(drafts[start..<min(start + chunk, drafts.count)])
                group.addTask { (start, try slice.map(compose)) }
            }
            var parts: [(Int, [ComposedMessage])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
