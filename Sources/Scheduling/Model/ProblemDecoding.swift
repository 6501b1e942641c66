import Foundation
import PartneringCore

extension ProblemDocument {
    /// Decodes a problem from JSON bytes, turning a decoding failure into an
    /// `InvalidProblem` whose issue names the JSON path of the offending value.
    public static func decode(from data: Data) throws(InvalidProblem) -> ProblemDocument {
        try decodeDocument(ProblemDocument.self, from: data)
    }
}

extension ScheduleDocument {
    /// Decodes a schedule (e.g. the previous one of `--keep`), with the JSON path of a defect.
    public static func decode(from data: Data) throws(InvalidProblem) -> ScheduleDocument {
        try decodeDocument(ScheduleDocument.self, from: data)
    }
}

/// Decodes a document of the format, its defect located by JSON path.
private func decodeDocument<Document: Decodable>(_ type: Document.Type, from data: Data) throws(InvalidProblem)
    -> Document
{
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        throw InvalidProblem(issues: [DocumentIssue(decoding: error)])
    } catch {
        throw InvalidProblem(issues: [ProblemIssue(path: "", message: "not valid JSON: \(error)")])
    }
}
