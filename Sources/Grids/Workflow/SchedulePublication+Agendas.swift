import Mail

/// The publication composes the agenda notices the notice dispatcher hands it.
extension SchedulePublication: AgendaDrafting {}
