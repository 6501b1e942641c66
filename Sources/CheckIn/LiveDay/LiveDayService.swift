import Foundation
import Grids
import PartneringCore
import Registration
import Scheduling
import ThreadSupport

/// The repositories the live day works on.
public struct LiveDayRepositories: Sendable {
    public var participants: any ParticipantRepository
    public var requests: any MeetingRequestRepository
    public var schedules: any ScheduleRepository
    public var checkIns: any CheckInRepository
    public var absences: any AbsenceRepository
    public var auditLog: any AuditLogRepository

    public init(
        participants: any ParticipantRepository, requests: any MeetingRequestRepository,
        schedules: any ScheduleRepository, checkIns: any CheckInRepository, absences: any AbsenceRepository,
        auditLog: any AuditLogRepository
    ) {
        self.participants = participants
        self.requests = requests
        self.schedules = schedules
        self.checkIns = checkIns
        self.absences = absences
        self.auditLog = auditLog
    }
}

/// The day itself, for the organisers: who arrived, whose meetings are at risk, who is
/// absent, and the re-plan of the rest of the day without the absent.
///
/// Marking someone absent (or bringing them back) changes nothing in the schedule by
/// itself: the organiser looks at the preview (``preview()``) and applies it
/// (``apply(basedOn:by:)``), which stores the re-planned day as a new version and
/// publishes it with the agendas of the people whose meetings changed queued in the
/// same transaction, so that their e-mail (same calendar UIDs, a higher SEQUENCE), their
/// agenda page and their calendar subscription change together.
public struct LiveDayService: Sendable {
    public let event: EventDefinition
    public let repositories: LiveDayRepositories
    /// The clock (which slots have begun, in the event's time zone) and the notice ids.
    public let dependencies: ServiceDependencies
    /// Raised once agendas are queued, for the process's notice dispatcher.
    public let noticesQueued: NoticeSignal
    /// The solver's settings for the rest of the day (keep mode is set by the service).
    public let solverOptions: SchedulerOptions

    public init(
        event: EventDefinition, repositories: LiveDayRepositories, dependencies: ServiceDependencies,
        noticesQueued: NoticeSignal, solverOptions: SchedulerOptions = LiveDayService.defaultSolverOptions
    ) {
        self.event = event
        self.repositories = repositories
        self.dependencies = dependencies
        self.noticesQueued = noticesQueued
        self.solverOptions = solverOptions
    }

    /// On the day the organiser waits for the answer: the breaks search does one round
    /// (``SearchEffort/fast``), the weight is still solved in full, and the limit only bounds
    /// a far larger event.
    public static let defaultSolverOptions: SchedulerOptions = {
        var options = SchedulerOptions(timeLimit: 5, seed: 1)
        options.effort = .fast
        return options
    }()

    // MARK: Absences

    /// Marks a participant absent for the rest of the day (audited). Their meetings stay
    /// until the organiser applies a re-plan.
    public func markAbsent(_ id: String, by organiser: String) async throws -> Absence {
        let participant = try await activeParticipant(id)
        let now = dependencies.now()
        let absence = Absence(participant: participant.id, markedAt: now, markedBy: organiser)
        do {
            try await repositories.absences.markAbsent(
                absence,
                audit: AuditEntry(
                    time: now, actor: "organiser:\(organiser)", action: "day.absent", subject: participant.id.rawValue))
        } catch RepositoryError.participantNotFound {
            throw Refusal.participantNotFound
        }
        return absence
    }

    /// Brings a participant marked absent back (a late arrival), audited; `false` when
    /// they were not marked. Their meetings come back only where the next re-plan finds room.
    @discardableResult
    public func bringBack(_ id: String, by organiser: String) async throws -> Bool {
        let participant = try await activeParticipant(id)
        let now = dependencies.now()
        return try await repositories.absences.clearAbsence(
            of: participant.id,
            audit: AuditEntry(
                time: now, actor: "organiser:\(organiser)", action: "day.present", subject: participant.id.rawValue))
    }

    /// The participants marked absent, oldest mark first.
    public func absences() async throws -> [Absence] { try await repositories.absences.absences() }

    private func activeParticipant(_ id: String) async throws -> Participant {
        guard let participant = try await repositories.participants.find(id: ParticipantID(id)),
            participant.status.isActive
        else { throw Refusal.participantNotFound }
        return participant
    }

    // MARK: Re-planning

    /// What applying a re-plan now would publish; stores nothing.
    /// - Throws: ``SchedulingRefusal/noPublishedSchedule`` before anything is published.
    public func preview() async throws -> DayReplan {
        guard let published = try await repositories.schedules.published() else {
            throw SchedulingRefusal.noPublishedSchedule
        }
        return try await replan(from: published)
    }

    /// Re-plans the rest of the day and publishes it: a new version (audited), published
    /// with one agenda notice per participant whose meetings changed, in one transaction.
    /// - Parameter basedOn: the published version the organiser previewed; when another
    ///   was published since, ``SchedulingRefusal/scheduleChangedMeanwhile``. `nil`: whatever is published.
    /// - Returns: the re-plan and the version published (`nil` when nothing changed: no
    ///   version is stored and nobody is told).
    public func apply(basedOn: Int?, by organiser: String) async throws -> (replan: DayReplan, version: Int?) {
        guard let published = try await repositories.schedules.published() else {
            throw SchedulingRefusal.noPublishedSchedule
        }
        if let basedOn, basedOn != published.info.version { throw SchedulingRefusal.scheduleChangedMeanwhile }
        let replan = try await replan(from: published)
        guard !replan.isEmpty else { return (replan, nil) }
        let now = dependencies.now()
        let absent = try await repositories.absences.absences().map(\.participant.rawValue)
        let record = RunRecord(
            origin: .replan, problem: replan.problem, summary: replan.summary,
            timeLimit: solverOptions.timeLimit, basedOn: published.info.version,
            note: "on the day, without " + (absent.isEmpty ? "anyone absent" : absent.joined(separator: ", ")),
            organiser: organiser)
        let saved = try await repositories.schedules.save(
            ScheduleDraft(
                meetings: replan.schedule.meetings.map(StoredSchedule.meeting), objective: replan.schedule.objective,
                label: RunRecord.Origin.replan.rawValue, summaryJSON: try record.json(), createdAt: now))
        let version = saved.info.version
        let notices = replan.affected.map { participant in
            dependencies.notice(
                .agenda, to: participant, reference: String(version), detail: String(published.info.version), at: now)
        }
        let audit = AuditEntry(
            time: now, actor: "organiser:\(organiser)", action: "day.replan", subject: String(version),
            details:
                "based on \(published.info.version); cancelled \(replan.cancelled.count), moved \(replan.changes.moved.count), "
                + "added \(replan.changes.added.count), dropped \(replan.changes.dropped.count); "
                + "told \(notices.count)")
        // Published only if nothing else was meanwhile, checked in the publication's own
        // transaction; the saved version then stays a draft.
        do {
            _ = try await repositories.schedules.publish(
                version, at: now, followUp: FollowUp(auditEntries: [audit], notices: notices),
                expectedPublished: published.info.version)
        } catch RepositoryError.publishedVersionChanged {
            throw SchedulingRefusal.scheduleChangedMeanwhile
        }
        noticesQueued.notify()
        return (replan, version)
    }

    /// Computes the re-plan from `published` on a thread of its own: the solver is
    /// CPU-bound, and on the cooperative pool it would hold one of its few threads.
    private func replan(from published: ScheduleVersion) async throws -> DayReplan {
        let participants = try await repositories.participants.list(.all)
        let requests = try await repositories.requests.list(.all)
        let absent = Set(try await repositories.absences.absences().map(\.participant))
        let replanning = DayReplanning(
            event: event, participants: participants, requests: requests, published: published,
            pins: RunRecord.decode(published.info.summaryJSON)?.problem.pinned ?? [], absent: absent,
            now: dependencies.now(), options: solverOptions)
        let thread = DedicatedThreadExecutor(name: "partnering-replan")
        defer { thread.shutdown() }
        return try await Task(executorPreference: thread, priority: .userInitiated) {
            try replanning.compute()
        }.value
    }
}
