import Foundation
import Grids
import PartneringCore
import Registration

extension ServerEnvironment {
    /// The scheduling workflow over the store, with the service's clock; queued runs wake
    /// the process's worker, queued agendas its mail dispatcher.
    var schedulingService: SchedulingService {
        SchedulingService(
            event: event,
            repositories: SchedulingRepositories(
                participants: store.participants, requests: store.requests, schedules: store.schedules,
                runs: store.schedulingRuns, auditLog: store.auditLog),
            dependencies: registration.attendees.dependencies, noticesQueued: registration.attendees.noticesQueued,
            runQueued: scheduling.queued)
    }
}
