import Foundation
import PartneringCore
import Registration
import Scheduling

/// The repositories the scheduling workflow works on.
public struct SchedulingRepositories: Sendable {
    public var participants: any ParticipantRepository
    public var requests: any MeetingRequestRepository
    public var schedules: any ScheduleRepository
    public var runs: any SchedulingRunRepository
    public var auditLog: any AuditLogRepository

    public init(
        participants: any ParticipantRepository, requests: any MeetingRequestRepository,
        schedules: any ScheduleRepository, runs: any SchedulingRunRepository, auditLog: any AuditLogRepository
    ) {
        self.participants = participants
        self.requests = requests
        self.schedules = schedules
        self.runs = runs
        self.auditLog = auditLog
    }
}

/// A stored version with what the pages need to show it: its record, the problem it
/// solves (its own, or today's for a version imported from a file) and its meetings in the
/// interchange format.
public struct LoadedVersion: Sendable {
    public let version: ScheduleVersion
    public let record: RunRecord?
    public let problem: ProblemDocument
    public let schedule: ScheduleDocument
}

/// What the organiser saw published when asking to publish another version.
public enum PublishedExpectation: Sendable, Hashable {
    /// The version published on the preview (`nil`: none was).
    case version(Int?)
    /// Nothing said (a form without the preview's field): publish over whatever is
    /// published now.
    case whateverIsPublished
}

/// The organiser's scheduling workflow before the day: queue and cancel scheduler runs,
/// save hand adjustments as a new version, and publish a version with its agendas. Every
/// one of these is written in the audit log with the organiser and the version, in the
/// transaction of the change it records (the day's absences and re-plans are
/// ``LiveDayService``'s, in `CheckIn`).
///
/// Runs are queued in the store; a ``SchedulingWorker`` of any process solves them. Refusals
/// are ``SchedulingRefusal``s.
public struct SchedulingService: Sendable {
    public let event: EventDefinition
    public let repositories: SchedulingRepositories
    /// The clock and the notice ids.
    public let dependencies: ServiceDependencies
    /// Raised once agendas are queued, for the process's notice dispatcher.
    public let noticesQueued: NoticeSignal
    /// Raised once a run is queued, for the process's scheduling worker.
    public let runQueued: NoticeSignal

    public init(
        event: EventDefinition, repositories: SchedulingRepositories, dependencies: ServiceDependencies,
        noticesQueued: NoticeSignal, runQueued: NoticeSignal
    ) {
        self.event = event
        self.repositories = repositories
        self.dependencies = dependencies
        self.noticesQueued = noticesQueued
        self.runQueued = runQueued
    }

    /// The time limits an organiser may give a run, in seconds.
    public static let timeLimits: ClosedRange<Int> = 1...600

    // MARK: Runs

    /// The latest run of the event, active or not.
    public func latestRun() async throws -> SchedulingRun? {
        try await repositories.runs.latest(event: event.id.rawValue)
    }

    /// Queues a scheduler run on today's registrations and requests (audited as
    /// `schedule.run`, in the same transaction). With `keepPublished`, the run stays close to the published version
    /// (or the latest one when none is) and keeps its pins.
    /// - Throws: ``SchedulingRefusal/timeLimitOutOfRange``,
    ///   ``SchedulingRefusal/problemInvalid(issues:)`` (checked here rather than by a
    ///   worker), ``SchedulingRefusal/runInProgress``.
    public func startRun(timeLimit: Double, keepPublished: Bool, by organiser: String) async throws -> SchedulingRun {
        guard timeLimit.isFinite, timeLimit >= Double(Self.timeLimits.lowerBound),
            timeLimit <= Double(Self.timeLimits.upperBound)
        else { throw SchedulingRefusal.timeLimitOutOfRange }
        var problem = try await currentProblem()
        var base = try await repositories.schedules.latest()
        if keepPublished, let published = try await repositories.schedules.published() { base = published }
        problem.pinned = Self.pins(from: base, validIn: problem)
        let previous = keepPublished ? base.map(StoredSchedule.document) : nil
        do {
            _ = try SchedulingModel.compile(problem)
        } catch {
            throw SchedulingRefusal.problemInvalid(issues: error.issues.count)
        }
        let basedOn = previous == nil ? nil : base?.info.version
        let inputs = SchedulingRunInputs(
            problem: problem, timeLimit: timeLimit, seed: 1, basedOn: basedOn, previous: previous,
            organiser: organiser)
        let now = dependencies.now()
        let run = SchedulingRun(
            id: UUID().uuidString, event: event.id.rawValue, inputs: try inputs.json(), requestedBy: organiser,
            queuedAt: now)
        let audit = AuditEntry(
            time: now, actor: Self.actor(organiser), action: "schedule.run", subject: run.id,
            details: "time limit \(String(format: "%g", timeLimit)) s"
                + (basedOn.map { "; keeping version \($0)" } ?? "")
                + "; \(problem.participants.count) participants, \(problem.requests.count) requests")
        // The store's unique key on the active run makes two quick clicks (on two replicas) one run.
        guard try await repositories.runs.enqueue(run, followUp: FollowUp(auditEntries: [audit])) else {
            throw SchedulingRefusal.runInProgress
        }
        runQueued.notify()
        return run
    }

    /// Cancels the event's active run (audited as `schedule.cancel`, in the same
    /// transaction): a queued one ends now, a running one stops at its worker's next
    /// heartbeat, in whichever process. Returns the run as it is after, `nil` when none was
    /// active (nothing is audited then).
    @discardableResult
    public func cancelRun(by organiser: String) async throws -> SchedulingRun? {
        let now = dependencies.now()
        let actor = Self.actor(organiser)
        return try await repositories.runs.cancel(event: event.id.rawValue, at: now) { run in
            FollowUp(auditEntries: [AuditEntry(time: now, actor: actor, action: "schedule.cancel", subject: run.id)])
        }
    }

    // MARK: Versions and adjustments

    /// Version `number` with its record, its problem and its meetings.
    /// - Throws: ``SchedulingRefusal/versionNotFound``.
    public func version(_ number: Int) async throws -> LoadedVersion {
        guard let version = try await repositories.schedules.version(number) else {
            throw SchedulingRefusal.versionNotFound
        }
        return LoadedVersion(
            version: version, record: RunRecord.decode(version.info.summaryJSON),
            problem: try await problem(of: version),
            schedule: StoredSchedule.document(version))
    }

    /// Adds `request` to `draft` on `loaded`, storing nothing: the draft's changes are
    /// checked again (the registrations may have changed under it), the request is resolved
    /// on the version with them (a move without a time or table keeps the meeting's; a
    /// booking without a table takes the first where it breaks no rule) and checked in turn.
    /// - Throws: ``AdjustmentRequest/Failure``: `refused` with the pair when the request
    ///   breaks a rule, without it when the draft no longer applies.
    public func adding(_ request: AdjustmentRequest, to draft: AdjustmentDraft, of loaded: LoadedVersion)
        throws(AdjustmentRequest.Failure) -> AdjustmentDraft
    {
        let (schedule, problem) = try AdjustmentRequest.checked { () throws(MeetingAdjustment.Refusal) in
            try MeetingAdjustment.apply(draft.changes, to: loaded.schedule, of: loaded.problem)
        }
        let change = try request.adjustment(in: schedule, of: problem)
        _ = try AdjustmentRequest.checked(pair: change.participants) { () throws(MeetingAdjustment.Refusal) in
            try change.apply(to: schedule, of: problem)
        }
        return AdjustmentDraft(changes: draft.changes + [change])
    }

    /// Saves `changes` on version `number` as one new version (audited as `schedule.adjust`,
    /// in the same transaction), every change checked again against the constraints.
    /// - Throws: ``SchedulingRefusal/nothingToSave`` when there are no changes or they no
    ///   longer apply; ``SchedulingRefusal/versionNotFound``.
    public func saveAdjustments(_ changes: [MeetingAdjustment], to number: Int, by organiser: String) async throws
        -> ScheduleVersionInfo
    {
        let loaded = try await version(number)
        guard !changes.isEmpty,
            let (schedule, problem) = try? MeetingAdjustment.apply(changes, to: loaded.schedule, of: loaded.problem)
        else { throw SchedulingRefusal.nothingToSave }
        let note = changes.map(\.logText).joined(separator: "; ")
        let record = RunRecord(
            origin: .adjustment, problem: problem, basedOn: number, note: note, adjustments: changes,
            organiser: organiser)
        let now = dependencies.now()
        let actor = Self.actor(organiser)
        let saved = try await repositories.schedules.save(
            ScheduleDraft(
                meetings: schedule.meetings.map(StoredSchedule.meeting), objective: schedule.objective,
                upperBound: schedule.upperBound, label: record.origin.rawValue, summaryJSON: try record.json(),
                createdAt: now)
        ) { saved in
            FollowUp(auditEntries: [
                AuditEntry(
                    time: now, actor: actor, action: "schedule.adjust", subject: String(saved.version),
                    details: "based on \(number); \(note)")
            ])
        }
        return saved.info
    }

    // MARK: Publication

    /// The version participants see, `nil` before the first publication.
    public func published() async throws -> ScheduleVersion? { try await repositories.schedules.published() }

    /// Publishes version `number`: marked published with one agenda notice per recipient
    /// (``SchedulePublication/recipients(of:previous:)``) and its audit entry
    /// (`schedule.publish`), in one transaction; the mail thread writes the agendas.
    /// - Parameter expected: what the organiser saw published on the preview. When another
    ///   version is published by then, ``SchedulingRefusal/scheduleChangedMeanwhile``, checked
    ///   in the publication's own transaction, so that two organisers cannot both publish
    ///   from one preview.
    /// - Returns: the version published and how many agendas are on their way.
    /// - Throws: ``SchedulingRefusal/versionNotFound``, ``SchedulingRefusal/alreadyPublished``,
    ///   ``SchedulingRefusal/scheduleChangedMeanwhile``.
    public func publish(_ number: Int, expected: PublishedExpectation, by organiser: String) async throws
        -> (version: ScheduleVersionInfo, told: Int)
    {
        guard let version = try await repositories.schedules.version(number) else {
            throw SchedulingRefusal.versionNotFound
        }
        let previous = try await repositories.schedules.published()
        if case .version(let expectedPublished) = expected, previous?.info.version != expectedPublished {
            throw SchedulingRefusal.scheduleChangedMeanwhile
        }
        guard previous?.info.version != number else { throw SchedulingRefusal.alreadyPublished }
        let now = dependencies.now()
        let notices = SchedulePublication.recipients(of: version, previous: previous).map { participant in
            dependencies.notice(
                .agenda, to: participant, reference: String(number), detail: previous.map { String($0.info.version) },
                at: now)
        }
        let audit = AuditEntry(
            time: now, actor: Self.actor(organiser), action: "schedule.publish", subject: String(number),
            details: (previous.map { "after version \($0.info.version)" } ?? "first publication")
                + "; told \(notices.count)")
        do {
            let info = try await repositories.schedules.publish(
                number, at: now, followUp: FollowUp(auditEntries: [audit], notices: notices),
                expectedPublished: previous?.info.version ?? ScheduleVersionInfo.noneExpected)
            noticesQueued.notify()
            return (info, notices.count)
        } catch RepositoryError.publishedVersionChanged {
            throw SchedulingRefusal.scheduleChangedMeanwhile
        }
    }

    // MARK: Helpers

    /// Today's registrations and requests as a scheduling problem (what a run started now
    /// solves, before pins; what `partnering export problem` writes).
    public func currentProblem() async throws -> ProblemDocument {
        try await ProblemDocument.current(
            event: event, participants: repositories.participants, requests: repositories.requests)
    }

    /// The problem `version` solves: its own, kept in its record, or today's for a version
    /// imported from a file.
    public func problem(of version: ScheduleVersion) async throws -> ProblemDocument {
        if let own = RunRecord.decode(version.info.summaryJSON)?.problem { return own }
        return try await currentProblem()
    }

    /// The pins organisers set on `version`, those whose participants and slot still exist.
    static func pins(from version: ScheduleVersion?, validIn problem: ProblemDocument) -> [ProblemDocument.Pinned]? {
        guard let pins = RunRecord.decode(version?.info.summaryJSON)?.problem.pinned else { return nil }
        let people = Set(problem.participants.map(\.id))
        let slots = Set(problem.slots.map(\.id))
        let valid = pins.filter { pin in pin.participants.allSatisfy(people.contains) && slots.contains(pin.slot) }
        return valid.isEmpty ? nil : valid
    }

    /// The audit log's name of an organiser.
    static func actor(_ organiser: String) -> String { "organiser:\(organiser)" }
}
