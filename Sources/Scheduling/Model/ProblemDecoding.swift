import Foundation

extension ProblemDocument {
    /// Decodes a problem from JSON bytes, turning a decoding failure into an
    /// `InvalidProblem` whose issue names the JSON path of the offending value.
    public static func decode(from data: Data) throws(InvalidProblem) -> ProblemDocument {
        do {
            return try JSONDecoder().decode(ProblemDocument.self, from: data)
        } catch let error as DecodingError {
            throw InvalidProblem(issues: [DecodingIssue.issue(for: error)])
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
            throw InvalidProblem(issues: [DecodingIssue.issue(for: error)])
        } catch {
            throw InvalidProblem(issues: [ProblemIssue(path: "", message: "not valid JSON: \(error)")])
        }
    }
}

/// Renders `DecodingError`s as JSON-path issues.
enum DecodingIssue {
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func issue(for error: DecodingError) -> ProblemIssue {
        switch error {
        case .typeMismatch(let type, let context):
            return ProblemIssue(
                path: path(context.codingPath), message: "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return ProblemIssue(
                path: path(context.codingPath), message: "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context):
            return ProblemIssue(
                path: path(context.codingPath + [key]), message: "required field is missing")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return ProblemIssue(
                path: path(context.codingPath),
                message: "not valid JSON: \(context.debugDescription)\(underlying)")
        @unknown default:
            return ProblemIssue(path: "", message: "cannot decode: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is [String].Type: return "a list of strings"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(name)"
        }
    }
}
