import Foundation
import Grids
import Mail
import PartneringCore
import Scheduling

/// Builds the models of the scheduling pages: names, times and table names instead of ids,
/// results and reasons in the page's language.
struct SchedulingPageBuilder {
    let environment: ServerEnvironment
    let session: WebSession

    private var words: SchedulingWords { SchedulingWords(language: session.language) }
    private var chrome: PageChrome { PageChrome(session: session, event: environment.event) }
    private var versions: any ScheduleRepository { environment.store.schedules }

    /// The longest lists a page shows (the grid and the CSV files have everything).
    static let meetingLines = 3_000
    static let changeLines = 500
    /// The largest board (tables × times) drawn in the page; larger events use the form.
    static let boardCells = 6_000

    // MARK: Runs

    /// The runs page; `refusal` is why the last action was refused, if it was.
    func runs(run: SchedulingRun?, refusal: SchedulingRefusal?) async throws -> ScheduleRunsPageModel {
        let dates = EventDateText(timeZone: environment.event.timeZone)
        let published = try await versions.published()?.info.version
        let infos = try await versions.versions()
        let lines = infos.reversed().map { info in
            ScheduleRunLine(
                version: info.version, href: SchedulingPaths.version(info.version),
                created: dates.stamp(info.createdAt),
                origin: words.origin(RunRecord.decode(info.summaryJSON), label: info.label),
                meetings: words.meetings(info.meetingCount),
                result: words.result(objective: info.objective, upperBound: info.upperBound),
                published: info.version == published)
        }
        let running = run?.state.isActive == true
        let progress = run.map { $0.progressFields(words: words)["text"] ?? "" } ?? ""
        let text = refusal?.detail(in: session.language) ?? ""
        let numbers = infos.map(\.version)
        return ScheduleRunsPageModel(
            chrome: chrome, paths: SchedulingPaths(), notice: text, hasNotice: !text.isEmpty,
            noticeIsError: refusal != nil, running: running, progress: progress,
            hasPublished: published != nil, runs: lines, hasRuns: !lines.isEmpty,
            compareFrom: numbers.map {
                Option(value: String($0), label: String($0), checked: $0 == numbers.dropLast().last)
            },
            compareTo: numbers.map { Option(value: String($0), label: String($0), checked: $0 == numbers.last) })
    }

    // MARK: A version

    func version(
        _ loaded: LoadedVersion, draftText: String, form: AdjustmentForm, error: AdjustmentForm.Failure?,
        notice: String, refusal: SchedulingRefusal?, sent: Int?
    ) async throws -> ScheduleVersionPageModel {
        let number = loaded.version.info.version
        var failure = error
        var draft = AdjustmentDraft(draftText) ?? AdjustmentDraft(changes: [])
        if AdjustmentDraft(draftText) == nil { failure = .unreadableDraft }
        var schedule = loaded.schedule
        var problem = loaded.problem
        do {
            (schedule, problem) = try MeetingAdjustment.apply(draft.changes, to: schedule, of: problem)
        } catch {
            // The registrations changed under the draft: show the version as stored and why.
            failure = .refused(error, pair: nil)
            draft = AdjustmentDraft(changes: [])
        }
        let explanation = try RunRecord.explain(schedule, of: problem)
        let model = try GridModel(problem: problem, schedule: schedule, explanation: explanation)
        let names = ScheduleNames(model: model)
        let labels = GridLabels(session.language)
        let published = try await versions.published()?.info.version == number

        var errorText = ""
        var suggestion = ""
        switch failure {
        case .refused(let refusal, let pair)?:
            errorText = words.refusal(refusal, names: names.person, slot: names.slot, table: names.table)
            if let pair, ["move", "book"].contains(form.action) {
                suggestion = suggestions(for: pair, schedule, problem, names)
            }
        case .unreadableDraft?: errorText = words.unreadableDraft
        case .unknownAction?: errorText = words.unknownAction
        case nil: errorText = refusal?.detail(in: session.language) ?? ""
        }

        let pins = Set((problem.pinned ?? []).map { Set($0.participants) })
        let draftQuery = draft.text.isEmpty ? "" : "&draft=" + SchedulingPaths.query(draft.text)
        let sorted = schedule.meetings.sorted {
            (names.order($0.slot), $0.table) < (names.order($1.slot), $1.table)
        }
        let meetings = sorted.prefix(Self.meetingLines).map { meeting in
            let first = meeting.participants.first ?? ""
            let second = meeting.participants.last ?? ""
            return ScheduleMeetingLine(
                time: names.slot(meeting.slot), table: names.table(meeting.table), first: names.person(first),
                second: names.person(second), firstHref: SchedulingPaths.person(number, first),
                secondHref: SchedulingPaths.person(number, second), pinned: pins.contains(Set(meeting.participants)),
                adjustHref: SchedulingPaths.version(number) + "?a=\(SchedulingPaths.query(first))"
                    + "&b=\(SchedulingPaths.query(second))\(draftQuery)#adjust")
        }
        let people = model.participants.sorted {
            $0.name.localizedStandardCompare($1.name) == .orderedAscending
        }
        func personOptions(_ selected: String) -> [Option] {
            people.map { Option(value: $0.id, label: "\($0.name) — \($0.organisation)", checked: $0.id == selected) }
        }
        let views = [
            ("grid.html", words.viewGrid), ("agendas.html", words.viewAgendas), ("tables.html", words.viewTables),
            ("no-meetings.html", words.viewNoMeetings), ("grid.csv", words.viewGridCSV),
            ("agendas.csv", words.viewAgendasCSV),
        ].map {
            PageLink(
                href: SchedulingPaths.view(number, $0.0)
                    + (draft.text.isEmpty ? "" : "?draft=" + SchedulingPaths.query(draft.text)), label: $0.1)
        }

        var facts = [words.meetingsInSchedule(schedule.meetings.count)]
        facts.append(words.peopleWithoutMeeting(model.withoutMeeting.count))
        facts.append(words.unscheduledPairs(explanation.unscheduled.count))
        if !pins.isEmpty { facts.append(words.pinnedMeetings(pins.count)) }
        if let summary = loaded.record?.summary, draft.changes.isEmpty {
            facts.append(words.fewestMeetings(summary.fairness))
        }
        let noticeText = words.versionNotice(notice, version: number, sent: sent ?? 0)
        let boardRows = board(schedule, model, names, pins: pins)
        return ScheduleVersionPageModel(
            chrome: chrome, version: number, origin: words.origin(loaded.record, label: loaded.version.info.label),
            published: published, notice: noticeText, hasNotice: !noticeText.isEmpty, error: errorText,
            hasError: !errorText.isEmpty, suggestion: suggestion,
            headline: words.result(objective: schedule.objective, upperBound: schedule.upperBound), facts: facts,
            views: views, publicationHref: SchedulingPaths.publication(number),
            adjustPath: SchedulingPaths.adjust(number), savePath: SchedulingPaths.save(number),
            versionHref: SchedulingPaths.version(number), draft: draft.text, hasDraft: !draft.changes.isEmpty,
            draftCount: words.changes(draft.changes.count),
            draftChanges: draft.changes.map {
                words.adjustment($0, names: names.person, slot: names.slot, table: names.table)
            },
            actions: AdjustmentForm.actions.map {
                Option(value: $0, label: words.action($0), checked: $0 == (form.action.isEmpty ? "move" : form.action))
            },
            firstPeople: personOptions(form.first), secondPeople: personOptions(form.second),
            slots: model.slots.map { Option(value: $0.id, label: names.slot($0.id), checked: $0.id == form.slot) },
            tables: model.tables.map { Option(value: $0.id, label: $0.name, checked: $0.id == form.table) },
            meetings: Array(meetings), meetingsCut: sorted.count > Self.meetingLines,
            unscheduledCount: explanation.unscheduled.count, hasUnscheduled: !explanation.unscheduled.isEmpty,
            unscheduled: explanation.unscheduled.prefix(1_000).map { pair in
                UnscheduledLine(
                    people: pair.participants.map(names.person).joined(separator: " – "),
                    priority: words.priorities(pair.requests.map(\.priority)),
                    reasons: pair.reasons.map { labels.reason($0, in: model) })
            },
            gridHref: views[0].href, hasBoard: !boardRows.isEmpty, boardTimes: model.slots.map { names.slot($0.id) },
            board: boardRows)
    }

    /// The tables by times with their meetings, for moving a meeting by dragging it.
    private func board(
        _ schedule: ScheduleDocument, _ model: GridModel, _ names: ScheduleNames, pins: Set<Set<String>>
    ) -> [BoardRow] {
        guard model.slots.count * model.tables.count <= Self.boardCells else { return [] }
        var meetings: [[String]: ScheduleDocument.Meeting] = [:]
        for meeting in schedule.meetings { meetings[[meeting.slot, meeting.table]] = meeting }
        return model.tables.map { table in
            BoardRow(
                table: table.name,
                cells: model.slots.map { slot in
                    let meeting = meetings[[slot.id, table.id]]
                    let first = meeting?.participants.first ?? ""
                    let second = meeting?.participants.last ?? ""
                    return BoardCell(
                        slot: slot.id, table: table.id, hasMeeting: meeting != nil, first: first, second: second,
                        label: meeting == nil ? "" : "\(names.person(first)) – \(names.person(second))",
                        pinned: meeting.map { pins.contains(Set($0.participants)) } ?? false)
                })
        }
    }

    private func suggestions(
        for pair: [String], _ schedule: ScheduleDocument, _ problem: ProblemDocument, _ names: ScheduleNames
    ) -> String {
        let places = MeetingAdjustment.openPlaces(for: pair, in: schedule, of: problem)
        return words.openPlaces(places.map { (names.slot($0.slot), names.table($0.table)) })
    }

    // MARK: A person

    /// One person's meetings in a version and the requests the scheduler had to place;
    /// nil when the version does not know the person.
    func person(_ loaded: LoadedVersion, id: String) async throws -> SchedulePersonPageModel? {
        let number = loaded.version.info.version
        let explanation = try RunRecord.explain(loaded.schedule, of: loaded.problem)
        let model = try GridModel(problem: loaded.problem, schedule: loaded.schedule, explanation: explanation)
        guard let index = model.participantIndex[id] else { return nil }
        let names = ScheduleNames(model: model)
        let labels = GridLabels(session.language)
        let pins = Set((loaded.problem.pinned ?? []).map { Set($0.participants) })
        let own = loaded.schedule.meetings.filter { $0.participants.contains(id) }
            .sorted { names.order($0.slot) < names.order($1.slot) }
        let meetings = own.map { meeting in
            let other = meeting.participants.first { $0 != id } ?? ""
            return PersonMeetingLine(
                time: names.slot(meeting.slot), table: names.table(meeting.table), other: names.person(other),
                otherHref: SchedulingPaths.person(number, other), pinned: pins.contains(Set(meeting.participants)))
        }
        let placed = Dictionary(
            own.map { (Set($0.participants), $0) }, uniquingKeysWith: { first, _ in first })
        let reasons = Dictionary(
            explanation.unscheduled.map { (Set($0.participants), $0.reasons) }, uniquingKeysWith: { first, _ in first })
        let requests = loaded.problem.requests.filter { $0.from == id || $0.to == id }.map { request in
            let other = request.from == id ? request.to : request.from
            let pair: Set<String> = [id, other]
            let meeting = placed[pair]
            return PersonRequestLine(
                direction: words.requestDirection(sent: request.from == id), other: names.person(other),
                otherHref: SchedulingPaths.person(number, other), priority: words.priorities([request.priority]),
                state: meeting.map { words.scheduledAt(names.slot($0.slot), names.table($0.table)) }
                    ?? words.notScheduled,
                reasons: meeting == nil ? (reasons[pair] ?? []).map { labels.reason($0, in: model) } : [])
        }
        let participant = try await environment.store.participants.find(id: ParticipantID(id))
        // The slots the version's problem forbids for the person (outside their `available`).
        let available = loaded.problem.participants.first { $0.id == id }?.available.map(Set.init)
        let unavailable = available.map { open in loaded.problem.slots.map(\.id).filter { !open.contains($0) } } ?? []
        return SchedulePersonPageModel(
            chrome: chrome, version: number, versionHref: SchedulingPaths.version(number),
            name: model.participants[index].name, organisation: model.participants[index].organisation,
            email: participant?.email ?? "",
            summary: words.personSummary(meetings: meetings.count, requests: requests.count),
            meetings: meetings, hasMeetings: !meetings.isEmpty, requests: requests, hasRequests: !requests.isEmpty,
            unavailable: unavailable.map(names.slot), hasUnavailable: !unavailable.isEmpty,
            registrationHref: participant == nil ? "" : "/organiser/registrations/\(id)")
    }

    // MARK: Comparison and publication

    private func lines(_ comparison: ScheduleComparison, _ names: ScheduleNames) -> [ComparisonLine] {
        func pair(_ meeting: ScheduleDocument.Meeting) -> String {
            meeting.participants.map(names.person).joined(separator: " – ")
        }
        func place(_ meeting: ScheduleDocument.Meeting?) -> String {
            meeting.map { "\(names.slot($0.slot)), \(names.table($0.table))" } ?? "–"
        }
        let moved = comparison.moved.map {
            ComparisonLine(kind: words.moved, people: pair($0.after), before: place($0.before), after: place($0.after))
        }
        let dropped = comparison.dropped.map {
            ComparisonLine(kind: words.dropped, people: pair($0), before: place($0), after: "–")
        }
        let added = comparison.added.map {
            ComparisonLine(kind: words.added, people: pair($0), before: "–", after: place($0))
        }
        return moved + dropped + added
    }

    /// Names for the ids of a version: those of its own problem, else today's registrations.
    private func names(for version: ScheduleVersion) async throws -> ScheduleNames {
        var problem: Scheduling.ProblemDocument
        if let record = RunRecord.decode(version.info.summaryJSON) {
            problem = record.problem
        } else {
            problem = Scheduling.ProblemDocument(
                event: environment.event, participants: try await environment.store.participants.list(.all),
                requests: try await environment.store.requests.list(.all))
        }
        return ScheduleNames(model: try GridModel(problem: problem, schedule: StoredSchedule.document(version)))
    }

    func comparison(before: ScheduleVersion, after: ScheduleVersion) async throws -> ScheduleComparisonPageModel {
        let comparison = ScheduleComparison(
            from: StoredSchedule.document(before), to: StoredSchedule.document(after))
        let lines = lines(comparison, try await names(for: after))
        return ScheduleComparisonPageModel(
            chrome: chrome, from: before.info.version, to: after.info.version,
            figures: words.comparisonFigures(comparison),
            lines: Array(lines.prefix(Self.changeLines)), hasLines: !lines.isEmpty)
    }

    func publication(
        _ loaded: LoadedVersion, previous: ScheduleVersion?, messages: [ComposedMessage], alreadyPublished: Bool
    ) async throws -> SchedulePublicationPageModel {
        let number = loaded.version.info.version
        let names = ScheduleNames(model: try GridModel(problem: loaded.problem, schedule: loaded.schedule))
        let changes =
            previous.map {
                lines(ScheduleComparison(from: StoredSchedule.document($0), to: loaded.schedule), names)
            } ?? []
        let sample = messages.first { $0.language == session.language } ?? messages.first
        let shown = messages.prefix(12).map { $0.recipient.displayName ?? $0.recipient.address }
        let more = messages.count - shown.count
        return SchedulePublicationPageModel(
            chrome: chrome, version: number, versionHref: SchedulingPaths.version(number),
            publishPath: SchedulingPaths.publish(number), alreadyPublished: alreadyPublished,
            recipients: words.recipients(messages.count), recipientCount: messages.count,
            confirmLabel: words.confirmPublication(messages.count),
            hasRecipients: !messages.isEmpty,
            recipientNames: shown.joined(separator: ", ") + (more > 0 ? words.andOthers(more) : ""),
            hasPrevious: previous != nil, previous: previous?.info.version ?? 0,
            changes: Array(changes.prefix(Self.changeLines)), changesCut: changes.count > Self.changeLines,
            hasSample: sample != nil,
            sampleTo: sample.map { $0.recipient.displayName ?? $0.recipient.address } ?? "",
            sampleSubject: sample?.subject ?? "", sampleBody: sample?.textBody ?? "")
    }
}

/// Names, times and table names for the ids of a schedule.
struct ScheduleNames {
    let model: GridModel

    func person(_ id: String) -> String {
        model.participantIndex[id].map { model.participants[$0].name } ?? id
    }

    /// `09:30`, with the date when the event has several days.
    func slot(_ id: String) -> String {
        guard let slot = model.slotIndex[id].map({ model.slots[$0] }) else { return id }
        return model.days.count > 1 ? "\(model.days[slot.day].date) \(slot.startText)" : slot.startText
    }

    /// The slot's place in time order (unknown slots first).
    func order(_ slot: String) -> Int { model.slotIndex[slot] ?? -1 }

    func table(_ id: String) -> String {
        model.tables.first { $0.id == id }?.name ?? id
    }
}
