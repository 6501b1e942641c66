import Foundation
import PartneringCore

extension ProblemDocument {
    /// Decodes a problem from JSON bytes, turning a decoding failure into an
    /// `InvalidProblem` whose issue names the JSON path of the offending value.
    public static func decode(from data: Data) throws(InvalidProblem) -> ProblemDocument {
        do {
            return try JSONDecoder().decode(ProblemDocument.self, from: data)
        } catch let error as DecodingError {
            throw InvalidProblem(issues: [DocumentIssue(decoding: error)])
        } catch {
            throw InvalidProblem(issues: [ProblemIssue(path: "", message: "not valid JSON: \(error)")])
        }
    }
}

extension ScheduleDocument {
    /// Decodes a schedule (e.g. the previous one of `--keep`), with the JSON path of a defect.
    public static func decode(from data: Data) throws(InvalidProblem) -> ScheduleDocument {
        do {
            return try JSONDecoder().decode(ScheduleDocument.self, from: data)
        } catch let error as DecodingError {
            throw InvalidProblem(issues: [DocumentIssue(decoding: error)])
        } catch {
            throw InvalidProblem(issues: [ProblemIssue(path: "", message: "not valid JSON: \(error)")])
        }
    }
}
