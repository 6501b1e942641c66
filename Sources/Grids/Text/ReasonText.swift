import Scheduling

extension GridLabels {
    /// One of the scheduler's reasons in words, with names rather than ids.
    public func reason(_ reason: UnscheduledPair.Reason, in model: GridModel) -> String {
        let names = NameLookup(model: model)
        switch reason.kind {
        case "bothHostTables":
            return pick("les deux ont une table attitrée", "both have a host table")
        case "noCommonAvailableSlot":
            return pick("aucun créneau disponible en commun", "no common available slot")
        case "requestSlotsExcludeCommonSlots":
            return pick(
                "les créneaux demandés excluent tous les créneaux communs",
                "the requested slots exclude every common slot")
        case "participantAtCap":
            let who = reason.participant.map(names.name) ?? "?"
            let counts = "\(reason.meetings ?? 0)/\(reason.cap ?? 0)"
            return pick("\(who) a atteint son maximum de rendez-vous (\(counts))", "\(who) is at its cap (\(counts))")
        case "everyCommonSlotTaken":
            var details: [String] = []
            var tablesFull: [String] = []
            for conflict in reason.slots ?? [] {
                guard !conflict.takenBy.isEmpty else {
                    if conflict.tablesFull { tablesFull.append(names.slot(conflict.slot)) }
                    continue
                }
                let blockers = conflict.takenBy.map { blocker in
                    var notes: [String] = []
                    if blocker.pinned { notes.append(pinned) }
                    switch blocker.comparedWeight {
                    case "higher": notes.append(pick("poids supérieur", "higher weight"))
                    case "equal": notes.append(pick("poids égal", "equal weight"))
                    case "lower": notes.append(pick("poids inférieur", "lower weight"))
                    default: break
                    }
                    let pair = blocker.participants.map(names.name).joined(separator: " – ")
                    return notes.isEmpty ? pair : "\(pair) (\(notes.joined(separator: ", ")))"
                }
                details.append("\(names.slot(conflict.slot)): \(blockers.joined(separator: "; "))")
            }
            if !tablesFull.isEmpty {
                details.append(
                    pick("toutes les tables occupées à ", "every table in use at ") + tablesFull.joined(separator: ", ")
                )
            }
            return pick("tous les créneaux communs sont pris", "every common slot is taken")
                + (details.isEmpty ? "" : " — " + details.joined(separator: " · "))
        default:
            return reason.kind
        }
    }
}

/// Names and times for the ids an explanation carries.
private struct NameLookup {
    let model: GridModel

    func name(_ id: String) -> String {
        model.participantIndex[id].map { model.participants[$0].name } ?? id
    }

    func slot(_ id: String) -> String {
        guard let slot = model.slotIndex[id].map({ model.slots[$0] }) else { return id }
        return model.days.count > 1 ? "\(model.days[slot.day].date) \(slot.startText)" : slot.startText
    }
}
