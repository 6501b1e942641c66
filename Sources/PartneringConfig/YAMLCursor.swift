import Foundation
import Yams

/// Walks a YAML document while remembering the key path and line of every
/// node, so that each defect can be reported as `file:line: key: message`.
struct YAMLCursor {
    let node: Node?
    let path: String
    let line: Int?
    let issues: IssueCollector

    /// The child at `key` of a mapping.
    subscript(key: String) -> YAMLCursor {
        let child = node?.mapping?[key]
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        return YAMLCursor(node: child, path: childPath, line: child?.mark?.line ?? line, issues: issues)
    }

    /// The elements of a sequence (none, with an issue, when it is something else).
    func elements(required: Bool = true) -> [YAMLCursor] {
        guard let node else {
            if required { fail("is missing: expected a list") }
            return []
        }
        guard case .sequence(let sequence) = node else {
            fail("expected a list")
            return []
        }
        return sequence.enumerated().map { index, element in
            YAMLCursor(
                node: element, path: "\(path)[\(index)]", line: element.mark?.line ?? line,
                issues: issues)
        }
    }

    /// The key/value pairs of a mapping.
    func entries() -> [(key: String, value: YAMLCursor)] {
        guard let mapping = node?.mapping else {
            fail(node == nil ? "is missing: expected a mapping" : "expected a mapping")
            return []
        }
        return mapping.map { pair in
            let key = pair.key.string ?? "?"
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            return (key, YAMLCursor(node: pair.value, path: childPath, line: pair.value.mark?.line, issues: issues))
        }
    }

    var isPresent: Bool { node != nil && node?.null == nil }

    func string(required: Bool = true) -> String? {
        guard let node, node.null == nil else {
            if required { fail("is missing: expected a text") }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            fail("expected a text, found a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        return scalar.string
    }

    func nonEmptyString() -> String? {
        guard let text = string() else { return nil }
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            fail("must not be empty")
            return nil
        }
        return text
    }

    func int(in range: ClosedRange<Int>, required: Bool = true) -> Int? {
        guard let text = string(required: required) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            fail("expected a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(text)\"")
            return nil
        }
        return value
    }

    func bool(required: Bool = true) -> Bool? {
        guard let text = string(required: required) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail("expected true or false, found \"\(text)\"")
            return nil
        }
    }

    /// A `{ fr: ..., en: ... }` mapping, or one text for both languages.
    func localizedText() -> LocalizedTextValue? {
        guard let node else {
            fail("is missing: expected a text or { fr: ..., en: ... }")
            return nil
        }
        if case .scalar(let scalar) = node { return LocalizedTextValue(fr: scalar.string, en: scalar.string) }
        guard let french = self["fr"].nonEmptyString(), let english = self["en"].nonEmptyString() else {
            return nil
        }
        return LocalizedTextValue(fr: french, en: english)
    }

    func fail(_ message: String) {
        issues.add(
            ConfigurationIssue(source: issues.source, line: line, key: path.isEmpty ? "(top)" : path, message: message))
    }
}

/// A pair of texts read from YAML before it becomes a `LocalizedText`.
struct LocalizedTextValue {
    var fr: String
    var en: String
}

/// Collects the defects found while reading one file.
final class IssueCollector {
    let source: String
    private(set) var issues: [ConfigurationIssue] = []

    init(source: String) { self.source = source }

    func add(_ issue: ConfigurationIssue) { issues.append(issue) }
}
