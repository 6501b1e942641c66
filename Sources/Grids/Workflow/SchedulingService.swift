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

/// The organiser's scheduling workflow before the day: queue and cancel scheduler runs,
/// save hand adjustments as a new version, and publish a version with its agendas. Every
/// one of these is written in the audit log with the organiser and the version (the day's
/// absences and re-plans are ``LiveDayService``'s, in `CheckIn`).
///
/// Runs are queued in the store; a `SchedulingWorker` of any process solves them. Refusals
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
    /// `schedule.run`). With `keepPublished`, the run stays close to the published version
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
        // The store's unique key on the active run makes two quick clicks (on two replicas) one run.
        guard try await repositories.runs.enqueue(run) else { throw SchedulingRefusal.runInProgress }
        runQueued.notify()
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: now, actor: Self.actor(organiser), action: "schedule.run", subject: run.id,
                details: "time limit \(String(format: "%g", timeLimit)) s"
                    + (basedOn.map { "; keeping version \($0)" } ?? "")
                    + "; \(problem.participants.count) participants, \(problem.requests.count) requests"))
        return run
    }

    /// Cancels the event's active run (audited as `schedule.cancel`): a queued one ends now,
    /// a running one stops at its worker's next heartbeat, in whichever process. Returns the
    /// run as it is after, `nil` when none was active.
    @discardableResult
    public func cancelRun(by organiser: String) async throws -> SchedulingRun? {
        // The store answers with the latest run whether it was active or not: only a run
        // active before is cancelled (and audited) here.
        guard try await latestRun()?.state.isActive == true else { return nil }
        let now = dependencies.now()
        guard let run = try await repositories.runs.cancel(event: event.id.rawValue, at: now) else { return nil }
        _ = try await repositories.auditLog.append(
            AuditEntry(time: now, actor: Self.actor(organiser), action: "schedule.cancel", subject: run.id))
        return run
    }

    // MARK: Versions and adjustments

    /// Version `number` with its record, its problem and its meetings.
    /// - Throws: ``SchedulingRefusal/versionNotFound``.
    public func version(_ number: Int) async throws -> LoadedVersion {
        guard let version = try await repositories.schedules.version(number) else {
            throw SchedulingRefusal.versionNotFound
        }
        let record = RunRecord.decode(version.info.summaryJSON)
        let problem: ProblemDocument
        if let own = record?.problem { problem = own } else { problem = try await currentProblem() }
        return LoadedVersion(
            version: version, record: record, problem: problem, schedule: StoredSchedule.document(version))
    }

    /// Saves `changes` on version `number` as one new version (audited as `schedule.adjust`),
    /// every change checked again against the constraints.
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
        let saved = try await repositories.schedules.save(
            ScheduleDraft(
                meetings: schedule.meetings.map(StoredSchedule.meeting), objective: schedule.objective,
                upperBound: schedule.upperBound, label: record.origin.rawValue, summaryJSON: try record.json(),
                createdAt: now))
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: now, actor: Self.actor(organiser), action: "schedule.adjust",
                subject: String(saved.info.version), details: "based on \(number); \(note)"))
        return saved.info
    }

    // MARK: Publication

    /// The version participants see, `nil` before the first publication.
    public func published() async throws -> ScheduleVersion? { try await repositories.schedules.published() }

    /// Publishes version `number`: marked published with one agenda notice per recipient
    /// (``SchedulePublication/recipients(of:previous:)``) and its audit entry
    /// (`schedule.publish`), in one transaction; the mail thread writes the agendas.
    /// - Parameter expectedPublished: the version published when the organiser looked at
    ///   the preview (`nil`: none was). When another one is published by then,
    ///   ``SchedulingRefusal/scheduleChangedMeanwhile``, checked in the publication's own
    ///   transaction, so that two organisers cannot both publish from one preview.
    /// - Returns: the version published and how many agendas are on their way.
    /// - Throws: ``SchedulingRefusal/versionNotFound``, ``SchedulingRefusal/alreadyPublished``,
    ///   ``SchedulingRefusal/scheduleChangedMeanwhile``.
    public func publish(_ number: Int, expectedPublished: Int?, by organiser: String) async throws
        -> (version: ScheduleVersionInfo, told: Int)
    {
        guard let version = try await repositories.schedules.version(number) else {
            throw SchedulingRefusal.versionNotFound
        }
        let previous = try await repositories.schedules.published()
        guard previous?.info.version == expectedPublished else { throw SchedulingRefusal.scheduleChangedMeanwhile }
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

    /// Today's registrations and requests as a scheduling problem.
    private func currentProblem() async throws -> ProblemDocument {
        ProblemDocument(
            event: event, participants: try await repositories.participants.list(.all),
            requests: try await repositories.requests.list(.all))
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
