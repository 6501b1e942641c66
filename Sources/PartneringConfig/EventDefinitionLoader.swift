import Foundation
import PartneringCore
import Yams

/// Reads an event definition (`config/event.yaml`) and checks every key,
/// reporting all defects at once with file, line and key.
public enum EventDefinitionLoader {
    /// Loads and checks the event definition at `path`.
    public static func load(path: String) throws -> EventDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(issues: [
                ConfigurationIssue(source: path, key: "(file)", message: "cannot be read: no such file or not readable")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(issues: [
                ConfigurationIssue(source: path, key: "(file)", message: "is not UTF-8 text")
            ])
        }
        return try parse(yaml: text, source: path)
    }

    /// Parses an event definition from YAML text; `source` names it in errors.
    public static func parse(yaml: String, source: String) throws -> EventDefinition {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigurationError(issues: [syntaxIssue(error, source: source)])
        }
        let issues = IssueCollector(source: source)
        let cursor = YAMLCursor(node: root, path: "", line: 1, issues: issues)
        if root?.mapping == nil {
            cursor.fail("expected a mapping of event settings")
            throw ConfigurationError(issues: issues.issues)
        }
        let event = EventReader(root: cursor).read()
        if let event, issues.issues.isEmpty { return event }
        throw ConfigurationError(issues: issues.issues)
    }

    private static func syntaxIssue(_ error: YamlError, source: String) -> ConfigurationIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return ConfigurationIssue(
                source: source, line: mark.line, key: "(syntax)", message: "YAML syntax error: \(problem)")
        default:
            return ConfigurationIssue(source: source, key: "(syntax)", message: "YAML syntax error: \(error)")
        }
    }
}

/// Reads the sections of an event definition; each reader returns nil for a
/// section with defects, after recording them.
private struct EventReader {
    let root: YAMLCursor

    func read() -> EventDefinition? {
        let id = root["id"].nonEmptyString()
        if let id, id.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) == nil {
            root["id"].fail("expected lowercase letters, digits and dashes, found \"\(id)\"")
        }
        let name = root["name"].localizedText()
        let venue = readVenue(root["venue"])
        let timeZone = readTimeZone(root["timezone"])
        let languages = readLanguages(root["languages"])
        let roles = readRoles(root["roles"])
        let policy = readPolicy(root["meet"], roles: roles)
        let categories = readCategories(root["categories"], roles: roles)
        let topics = readTopics(root["topics"])
        let rules = readRequestRules(root["requests"])
        let window = readWindow(root["registration"])
        let schedule = timeZone.flatMap { readSchedule(root["schedule"], timeZone: $0) }

        guard let id, let name, let venue, let timeZone, let languages, let roles, let policy,
            let categories, let topics, let rules, let window, let schedule
        else { return nil }
        var event = EventDefinition(
            id: EventID(id), name: LocalizedText(fr: name.fr, en: name.en), venue: venue,
            timeZone: timeZone, slotMinutes: schedule.slotMinutes, sessions: schedule.sessions,
            tables: schedule.tables, roles: roles, meetPolicy: policy, categories: categories,
            topics: topics, registrationWindow: window, languages: languages, requestRules: rules)
        let atRisk = root["schedule"]["atRiskMinutes"]
        if atRisk.isPresent {
            guard let minutes = atRisk.int(in: 0...1440) else { return nil }
            event.atRiskMinutes = minutes
        }
        if event.slots.isEmpty {
            root["schedule"].fail("the sessions hold no slot of \(schedule.slotMinutes) minutes")
            return nil
        }
        return event
    }

    private func readVenue(_ cursor: YAMLCursor) -> Venue? {
        guard let name = cursor["name"].nonEmptyString(), let address = cursor["address"].nonEmptyString(),
            let city = cursor["city"].nonEmptyString()
        else { return nil }
        return Venue(name: name, address: address, city: city)
    }

    private func readTimeZone(_ cursor: YAMLCursor) -> TimeZone? {
        guard let text = cursor.nonEmptyString() else { return nil }
        guard let zone = TimeZone(identifier: text) else {
            cursor.fail("unknown time zone \"\(text)\": expected an IANA name such as Europe/Paris")
            return nil
        }
        return zone
    }

    private func readLanguages(_ cursor: YAMLCursor) -> [Language]? {
        var result: [Language] = []
        var valid = true
        for element in cursor.elements() {
            guard let text = element.string() else {
                valid = false
                continue
            }
            if let language = Language(rawValue: text) {
                result.append(language)
            } else {
                element.fail("unknown language \"\(text)\": expected fr or en")
                valid = false
            }
        }
        if valid && result.isEmpty { cursor.fail("name at least one language (fr, en)") }
        return valid && !result.isEmpty ? result : nil
    }

    private func readRoles(_ cursor: YAMLCursor) -> [RoleDefinition]? {
        var result: [RoleDefinition] = []
        var valid = true
        for element in cursor.elements() {
            guard let id = element["id"].nonEmptyString(), let name = element["name"].localizedText(),
                let approval = element["requiresApproval"].bool()
            else {
                valid = false
                continue
            }
            if result.contains(where: { $0.role.rawValue == id }) {
                element["id"].fail("role \"\(id)\" is defined twice")
                valid = false
            }
            result.append(
                RoleDefinition(
                    role: Role(rawValue: id), name: LocalizedText(fr: name.fr, en: name.en), requiresApproval: approval)
            )
        }
        if valid && result.isEmpty { cursor.fail("define at least one role") }
        return valid && !result.isEmpty ? result : nil
    }

    private func readPolicy(_ cursor: YAMLCursor, roles: [RoleDefinition]?) -> MeetPolicy? {
        var pairs: [[Role]] = []
        var valid = true
        for element in cursor.elements() {
            let members = element.elements().compactMap { member -> Role? in
                guard let text = member.string() else { return nil }
                if let roles, !roles.contains(where: { $0.role.rawValue == text }) {
                    member.fail("unknown role \"\(text)\": define it under roles")
                    return nil
                }
                return Role(rawValue: text)
            }
            guard members.count == 2 else {
                element.fail("expected a pair of roles such as [company, expert]")
                valid = false
                continue
            }
            pairs.append(members)
        }
        if valid && pairs.isEmpty { cursor.fail("list at least one pair of roles that may meet") }
        return valid && !pairs.isEmpty ? MeetPolicy(pairs: pairs) : nil
    }

    private func readCategories(_ cursor: YAMLCursor, roles: [RoleDefinition]?) -> [RegistrationCategory]? {
        var result: [RegistrationCategory] = []
        var valid = true
        for element in cursor.elements() {
            let id = element["id"].nonEmptyString()
            let roleName = element["role"].nonEmptyString()
            let name = element["name"].localizedText()
            let capacity = element["capacity"].int(in: 1...1_000_000)
            if let roleName, let roles, !roles.contains(where: { $0.role.rawValue == roleName }) {
                element["role"].fail("unknown role \"\(roleName)\": define it under roles")
                valid = false
            }
            guard let id, let roleName, let name, let capacity else {
                valid = false
                continue
            }
            if result.contains(where: { $0.id.rawValue == id }) {
                element["id"].fail("category \"\(id)\" is defined twice")
                valid = false
            }
            result.append(
                RegistrationCategory(
                    id: CategoryID(id), role: Role(rawValue: roleName), name: LocalizedText(fr: name.fr, en: name.en),
                    capacity: capacity))
        }
        if valid && result.isEmpty { cursor.fail("define at least one registration category") }
        return valid && !result.isEmpty ? result : nil
    }

    private func readTopics(_ cursor: YAMLCursor) -> [TopicGroup]? {
        var groups: [TopicGroup] = []
        var seen = Set<String>()
        var valid = true
        for element in cursor.elements() {
            guard let groupID = element["id"].nonEmptyString(), let groupName = element["name"].localizedText() else {
                valid = false
                continue
            }
            var topics: [Topic] = []
            for topicCursor in element["topics"].elements() {
                guard let id = topicCursor["id"].nonEmptyString(), let french = topicCursor["fr"].nonEmptyString(),
                    let english = topicCursor["en"].nonEmptyString()
                else {
                    valid = false
                    continue
                }
                if !seen.insert(id).inserted {
                    topicCursor["id"].fail("topic \"\(id)\" is defined twice")
                    valid = false
                }
                topics.append(Topic(id: TopicID(id), name: LocalizedText(fr: french, en: english)))
            }
            groups.append(
                TopicGroup(id: groupID, name: LocalizedText(fr: groupName.fr, en: groupName.en), topics: topics))
        }
        return valid ? groups : nil
    }

    private func readRequestRules(_ cursor: YAMLCursor) -> RequestRules? {
        let maxOpen = cursor["maxOpenRequests"].int(in: 1...1000)
        let acceptance = cursor["acceptanceRequired"].bool()
        let maxMeetings = cursor["defaultMaxMeetings"].int(in: 1...1000)
        var weights: [Int: Int] = [1: 3, 2: 2, 3: 1]
        var valid = true
        let weightsCursor = cursor["priorityWeights"]
        if weightsCursor.isPresent {
            for (key, value) in weightsCursor.entries() {
                guard let priority = Int(key), (1...3).contains(priority) else {
                    value.fail("expected a priority 1, 2 or 3 as key, found \"\(key)\"")
                    valid = false
                    continue
                }
                guard let weight = value.int(in: 0...1000) else {
                    valid = false
                    continue
                }
                weights[priority] = weight
            }
        }
        guard let maxOpen, let acceptance, let maxMeetings, valid else { return nil }
        return RequestRules(
            maxOpenRequests: maxOpen, acceptanceRequired: acceptance, defaultMaxMeetings: maxMeetings,
            priorityWeights: weights)
    }

    private func readWindow(_ cursor: YAMLCursor) -> DateInterval? {
        let opens = readInstant(cursor["opens"])
        let closes = readInstant(cursor["closes"])
        guard let opens, let closes else { return nil }
        guard opens < closes else {
            cursor["closes"].fail("must be after registration.opens")
            return nil
        }
        return DateInterval(start: opens, end: closes)
    }

    private func readInstant(_ cursor: YAMLCursor) -> Date? {
        guard let text = cursor.nonEmptyString() else { return nil }
        guard let date = InternetTime.parse(text) else {
            cursor.fail("expected a date and time with offset such as 2027-03-11T23:59:00+01:00, found \"\(text)\"")
            return nil
        }
        return date
    }

    private struct ScheduleSection {
        var slotMinutes: Int
        var sessions: [Session]
        var tables: [Table]
    }

    private func readSchedule(_ cursor: YAMLCursor, timeZone: TimeZone) -> ScheduleSection? {
        let slotMinutes = cursor["slotMinutes"].int(in: 5...240)
        let tableCount = cursor["tables"].int(in: 1...10_000)
        let calendar = Calendar.gregorian(in: timeZone)
        var sessions: [Session] = []
        var valid = true
        for element in cursor["sessions"].elements() {
            let id = element["id"].nonEmptyString()
            let name = element["name"].localizedText()
            let day = readDay(element["date"])
            let start = day.flatMap { readTime(element["start"], on: $0, calendar: calendar) }
            let end = day.flatMap { readTime(element["end"], on: $0, calendar: calendar) }
            guard let id, let name, let start, let end else {
                valid = false
                continue
            }
            guard start < end else {
                element["end"].fail("must be after start")
                valid = false
                continue
            }
            if let previous = sessions.last, start < previous.end {
                element["start"].fail("overlaps session \"\(previous.id)\" or is not in time order")
                valid = false
            }
            sessions.append(Session(id: id, name: LocalizedText(fr: name.fr, en: name.en), start: start, end: end))
        }
        guard let slotMinutes, let tableCount, valid, !sessions.isEmpty else { return nil }
        let width = String(tableCount).count < 2 ? 2 : String(tableCount).count
        let tables = (1...tableCount).map { number in
            let padded = String(repeating: "0", count: max(0, width - String(number).count)) + String(number)
            return Table(id: TableID("T\(padded)"), name: "Table \(number)")
        }
        return ScheduleSection(slotMinutes: slotMinutes, sessions: sessions, tables: tables)
    }

    private func readDay(_ cursor: YAMLCursor) -> DateComponents? {
        guard let text = cursor.nonEmptyString() else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            cursor.fail("expected a date such as 2027-03-18, found \"\(text)\"")
            return nil
        }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }

    private func readTime(_ cursor: YAMLCursor, on day: DateComponents, calendar: Calendar) -> Date? {
        guard let text = cursor.nonEmptyString() else { return nil }
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
            cursor.fail("expected a time such as 09:00, found \"\(text)\"")
            return nil
        }
        var components = day
        components.hour = parts[0]
        components.minute = parts[1]
        guard let date = calendar.date(from: components) else {
            cursor.fail("is not a valid local time")
            return nil
        }
        return date
    }
}
