import Foundation
import Grids
import PartneringCore

/// The sentences of the organiser's scheduling pages that carry numbers, names or times, in
/// the page's language (the fixed words are in the templates). Plurals follow French rules
/// (0 and 1 singular) and English ones (1 singular); numbers are grouped the language's way.
struct SchedulingWords {
    let language: Language

    private func pick(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    /// `1 618` / `1,618`.
    func number(_ value: Int) -> String {
        value.formatted(.number.locale(Locale(identifier: language == .fr ? "fr_FR" : "en_GB")))
    }

    /// `3 personnes` / `1 person`.
    func count(_ value: Int, fr: (String, String), en: (String, String)) -> String {
        let singular = language == .fr ? value < 2 : value == 1
        let words = language == .fr ? fr : en
        return "\(number(value)) \(singular ? words.0 : words.1)"
    }

    func people(_ value: Int) -> String { count(value, fr: ("personne", "personnes"), en: ("person", "people")) }
    func meetings(_ value: Int) -> String {
        count(value, fr: ("rendez-vous", "rendez-vous"), en: ("meeting", "meetings"))
    }
    func changes(_ value: Int) -> String {
        count(value, fr: ("modification", "modifications"), en: ("change", "changes"))
    }

    /// The value of a schedule against the best possible one, in words.
    func result(objective: Int, upperBound: Int?) -> String {
        guard let upperBound, upperBound > 0 else {
            return pick("\(number(objective)) points", "\(number(objective)) points")
        }
        if objective >= upperBound {
            return pick(
                "\(number(objective)) points sur \(number(upperBound)) possibles : le meilleur programme possible",
                "\(number(objective)) points of at most \(number(upperBound)) possible: the best possible schedule")
        }
        let share = Double(objective) / Double(upperBound) * 100
        let percent = share.formatted(
            .number.precision(.fractionLength(1)).locale(Locale(identifier: language == .fr ? "fr_FR" : "en_GB")))
        return pick(
            "\(number(objective)) points sur au plus \(number(upperBound)) possibles : au moins \(percent) % du meilleur programme possible",
            "\(number(objective)) points of at most \(number(upperBound)) possible: at least \(percent)% of the best possible schedule"
        )
    }

    /// Where a running scheduler stands.
    func progress(objective: Int?, upperBound: Int?, elapsed: Double?) -> String {
        guard let objective, let elapsed else {
            return pick("Le calcul démarre…", "The scheduler is starting…")
        }
        let seconds = number(Int(elapsed.rounded()))
        let best =
            upperBound.map {
                pick(" sur au plus \(number($0)) possibles", " of at most \(number($0)) possible")
            } ?? ""
        return pick(
            "Calcul en cours depuis \(seconds) s : le meilleur programme trouvé vaut \(number(objective)) points\(best).",
            "Running for \(seconds) s: the best schedule found so far is worth \(number(objective)) points\(best).")
    }

    /// How a version was made, in a sentence.
    func origin(_ record: RunRecord?, label: String?) -> String {
        guard let record else {
            return pick("Programme importé", "Imported schedule")
        }
        var text: String
        switch record.origin {
        case .run: text = pick("Calcul du planificateur", "Scheduler run")
        case .replan:
            text = pick(
                "Replanification à partir de la version \(record.basedOn ?? 0), en gardant ce qui reste valide",
                "Re-plan from version \(record.basedOn ?? 0), keeping what is still valid")
        case .adjustment:
            let count = record.adjustments?.count ?? 1
            text = pick(
                "Modifiée à la main à partir de la version \(record.basedOn ?? 0) (\(changes(count)))",
                "Changed by hand from version \(record.basedOn ?? 0) (\(changes(count)))")
        }
        if record.cancelled { text += pick(", arrêté avant la limite de temps", ", stopped before its time limit") }
        if let organiser = record.organiser { text += pick(", par \(organiser)", ", by \(organiser)") }
        return text
    }

    /// One change of a draft, with names and times.
    func adjustment(
        _ adjustment: MeetingAdjustment, names: (String) -> String, slot: (String) -> String,
        table: (String) -> String
    ) -> String {
        let pair = adjustment.participants.map(names).joined(separator: " – ")
        switch adjustment {
        case .move(_, let to, let at):
            return pick("Déplacer \(pair) à \(slot(to)), \(table(at))", "Move \(pair) to \(slot(to)), \(table(at))")
        case .book(_, let to, let at):
            return pick(
                "Ajouter un rendez-vous \(pair) à \(slot(to)), \(table(at))",
                "Book a meeting \(pair) at \(slot(to)), \(table(at))")
        case .cancel: return pick("Annuler le rendez-vous \(pair)", "Cancel the meeting \(pair)")
        case .pin(_, true): return pick("Fixer \(pair) (heure et table)", "Pin \(pair) (time and table)")
        case .pin(_, false): return pick("Fixer l’heure de \(pair)", "Pin the time of \(pair)")
        case .unpin: return pick("Libérer \(pair)", "Unpin \(pair)")
        }
    }

    /// The rule a refused change breaks, and what would work instead.
    func refusal(
        _ refusal: MeetingAdjustment.Refusal, names: (String) -> String, slot: (String) -> String,
        table: (String) -> String
    ) -> String {
        func pair(_ ids: [String]) -> String { ids.map(names).joined(separator: pick(" et ", " and ")) }
        switch refusal {
        case .notAPair:
            return pick("Choisissez deux personnes différentes.", "Choose two different people.")
        case .noMeeting(let ids):
            return pick(
                "\(pair(ids)) n’ont pas de rendez-vous dans cette version : choisissez « Ajouter un rendez-vous » pour en créer un.",
                "\(pair(ids)) have no meeting in this version: choose “Book a meeting” to create one.")
        case .alreadyMeeting(let ids, let at):
            return pick(
                "\(pair(ids)) ont déjà rendez-vous à \(slot(at)) : choisissez « Déplacer » pour changer l’heure ou la table.",
                "\(pair(ids)) already meet at \(slot(at)): choose “Move” to change the time or the table.")
        case .pinned(_, let at):
            return pick(
                "Ce rendez-vous est fixé à \(slot(at)) : libérez-le d’abord (« Libérer »), puis déplacez-le.",
                "This meeting is pinned at \(slot(at)): unpin it first (“Unpin”), then move it.")
        case .notPinned(let ids):
            return pick(
                "Le rendez-vous de \(pair(ids)) n’est pas fixé : il n’y a rien à libérer.",
                "The meeting of \(pair(ids)) is not pinned: there is nothing to unpin.")
        case .unknownSlot:
            return pick("Choisissez une heure dans la liste.", "Choose a time from the list.")
        case .unknownTable:
            return pick("Choisissez une table dans la liste.", "Choose a table from the list.")
        case .unknownParticipant:
            return pick("Choisissez les deux personnes dans la liste.", "Choose both people from the list.")
        case .unavailable(let name, let at):
            return pick(
                "\(name) n’est pas disponible à \(slot(at)) : choisissez une heure où les deux sont présents.",
                "\(name) is not available at \(slot(at)): choose a time when both are there.")
        case .busy(let name, let others, let at):
            return pick(
                "\(name) a déjà rendez-vous avec \(pair(others)) à \(slot(at)) : une personne ne tient qu’un rendez-vous par créneau.",
                "\(name) already meets \(pair(others)) at \(slot(at)): a person holds one meeting per slot.")
        case .hostTableOnly(let name, let at):
            return pick(
                "\(name) reçoit uniquement à sa table attitrée, \(table(at)).",
                "\(name) meets only at their host table, \(table(at)).")
        case .hostTableOfOther(let at, let host):
            return pick(
                "\(table(at)) est la table attitrée de \(host) : choisissez une autre table.",
                "\(table(at)) is the host table of \(host): choose another table.")
        case .tableTaken(let at, let when, let ids):
            return pick(
                "\(table(at)) est déjà occupée à \(slot(when)) par \(pair(ids)) : choisissez une autre table ou une autre heure.",
                "\(table(at)) is already taken at \(slot(when)) by \(pair(ids)): choose another table or time.")
        case .requestSlots(let from, let to, let allowed):
            return pick(
                "La demande de \(names(from)) à \(names(to)) n’accepte que ces heures : \(allowed.map(slot).joined(separator: ", ")).",
                "The request of \(names(from)) to \(names(to)) allows only these times: \(allowed.map(slot).joined(separator: ", "))."
            )
        case .tablePinned(let at, let when, let ids):
            return pick(
                "\(table(at)) est réservée à \(slot(when)) pour le rendez-vous fixé de \(pair(ids)).",
                "\(table(at)) is kept at \(slot(when)) for the pinned meeting of \(pair(ids)).")
        }
    }

    /// The places a refused meeting could take instead.
    func openPlaces(_ places: [(slot: String, table: String)]) -> String {
        guard !places.isEmpty else {
            return pick(
                "Aucune place libre pour ces deux personnes : annulez ou déplacez d’abord un autre de leurs rendez-vous.",
                "No free place for these two people: cancel or move one of their other meetings first.")
        }
        let list = places.map { "\($0.slot) (\($0.table))" }.joined(separator: ", ")
        return pick("Places possibles : \(list).", "Possible places: \(list).")
    }

    // MARK: Fixed sentences with a number

    func meetingsInSchedule(_ value: Int) -> String {
        pick("\(meetings(value)) au programme", "\(meetings(value)) in the schedule")
    }

    func peopleWithoutMeeting(_ value: Int) -> String {
        pick("\(people(value)) sans rendez-vous", "\(people(value)) with no meeting")
    }

    func unscheduledPairs(_ value: Int) -> String {
        count(
            value, fr: ("rencontre demandée non planifiée", "rencontres demandées non planifiées"),
            en: ("requested meeting not scheduled", "requested meetings not scheduled"))
    }

    func pinnedMeetings(_ value: Int) -> String {
        pick(
            "\(meetings(value)) fixé\(value < 2 ? "" : "s") par les organisateurs",
            "\(meetings(value)) pinned by the organisers")
    }

    func fewestMeetings(_ value: Int) -> String {
        pick(
            "la personne la moins servie a \(meetings(value))",
            "the person with the fewest meetings has \(meetings(value))")
    }

    func recipients(_ value: Int) -> String {
        pick(
            "\(people(value)) \(value < 2 ? "recevra son" : "recevront leur") programme par e-mail, avec le fichier d’agenda (.ics).",
            "\(people(value)) will receive their schedule by e-mail, with the calendar file (.ics).")
    }

    func confirmPublication(_ value: Int) -> String {
        let mails = count(value, fr: ("e-mail", "e-mails"), en: ("e-mail", "e-mails"))
        return value == 0
            ? pick("Confirmer la publication", "Confirm the publication")
            : pick("Confirmer : publier et envoyer \(mails)", "Confirm: publish and send \(mails)")
    }

    /// What changed between two versions, one sentence a kind.
    func comparisonFigures(_ comparison: ScheduleComparison) -> [String] {
        func agreed(_ value: Int, _ fr: String, _ en: String) -> String {
            let plural = language == .fr ? value > 1 : value != 1
            return "\(meetings(value)) " + pick(fr + (plural ? "s" : ""), en)
        }
        return [
            agreed(comparison.kept.count, "inchangé", "unchanged"), agreed(comparison.moved.count, "déplacé", "moved"),
            agreed(comparison.dropped.count, "annulé", "cancelled"), agreed(comparison.added.count, "ajouté", "added"),
            pick(
                "\(people(comparison.affectedParticipants.count)) concernée\(comparison.affectedParticipants.count > 1 ? "s" : "") par un changement",
                "\(people(comparison.affectedParticipants.count)) affected by a change"),
        ]
    }

    func requestDirection(sent: Bool) -> String {
        sent ? pick("envoyée à", "sent to") : pick("reçue de", "received from")
    }

    func scheduledAt(_ time: String, _ table: String) -> String {
        pick("au programme à \(time), \(table)", "scheduled at \(time), \(table)")
    }

    var notScheduled: String { pick("non planifiée", "not scheduled") }

    func personSummary(meetings: Int, requests: Int) -> String {
        let asked = count(requests, fr: ("demande retenue", "demandes retenues"), en: ("request", "requests"))
        return pick(
            "\(self.meetings(meetings)) dans cette version ; \(asked) pour le planning.",
            "\(self.meetings(meetings)) in this version; \(asked) to schedule.")
    }

    func andOthers(_ value: Int) -> String {
        pick(" et \(number(value)) autre\(value < 2 ? "" : "s")", " and \(number(value)) other\(value == 1 ? "" : "s")")
    }

    /// `priorité 1` / `priorities 1, 2`.
    func priorities(_ values: [Int]) -> String {
        let list = values.map(String.init).joined(separator: ", ")
        return values.count < 2
            ? pick("priorité \(list)", "priority \(list)") : pick("priorités \(list)", "priorities \(list)")
    }

    var moved: String { pick("déplacé", "moved") }
    var dropped: String { pick("annulé", "cancelled") }
    var added: String { pick("ajouté", "added") }
    var viewGrid: String { pick("Grille", "Grid") }
    var viewAgendas: String { pick("Agendas individuels", "Personal agendas") }
    var viewTables: String { pick("Feuilles de table", "Table sheets") }
    var viewNoMeetings: String { pick("Personnes sans rendez-vous", "People with no meeting") }
    var viewGridCSV: String { pick("Grille (CSV)", "Grid (CSV)") }
    var viewAgendasCSV: String { pick("Agendas (CSV)", "Agendas (CSV)") }
    var runQueued: String {
        pick("Le calcul attend un processus libre…", "The run is waiting for a free worker…")
    }
    var runStopping: String { pick("Arrêt du calcul demandé…", "Stopping the run…") }
    var runCancelledBeforeStart: String {
        pick("Le calcul a été annulé avant de commencer.", "The run was cancelled before it started.")
    }
    var runFailed: String {
        pick("Le calcul a échoué : voir le journal du serveur.", "The run failed: see the server log.")
    }
    var unreadableDraft: String {
        pick(
            "Les modifications en cours n’ont pas pu être relues : recommencez à partir de la version enregistrée.",
            "The changes in progress could not be read: start again from the saved version.")
    }
    var unknownAction: String {
        pick("Choisissez une action dans la liste.", "Choose an action from the list.")
    }

    /// The words of an action of the adjustment form.
    func action(_ value: String) -> String {
        switch value {
        case "move": pick("Déplacer le rendez-vous", "Move the meeting")
        case "book": pick("Ajouter un rendez-vous", "Book a meeting")
        case "cancel": pick("Annuler le rendez-vous", "Cancel the meeting")
        case "pin": pick("Fixer (heure et table)", "Pin (time and table)")
        case "pin-time": pick("Fixer l’heure seulement", "Pin the time only")
        case "unpin": pick("Libérer", "Unpin")
        default: value
        }
    }

    /// The notice of a version page named in its address.
    func versionNotice(_ code: String, version: Int, sent: Int) -> String {
        switch code {
        case "saved":
            pick(
                "Modifications enregistrées : voici la version \(version).",
                "Changes saved: this is version \(version).")
        case "published":
            pick(
                "Version \(version) publiée : \(count(sent, fr: ("e-mail", "e-mails"), en: ("e-mail", "e-mails"))) avec le programme et son fichier .ics \(sent < 2 ? "est parti" : "sont partis") dans la boîte d’envoi.",
                "Version \(version) published: \(count(sent, fr: ("e-mail", "e-mails"), en: ("e-mail", "e-mails"))) with the schedule and its .ics file \(sent == 1 ? "is" : "are") in the outbox."
            )
        default: ""
        }
    }
}
