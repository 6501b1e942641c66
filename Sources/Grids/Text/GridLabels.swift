import Foundation
import PartneringCore

/// The words of the views, in French or English.
public struct GridLabels: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    func pick(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    var grid: String { pick("Grille des rendez-vous", "Meeting grid") }
    var agendas: String { pick("Agendas", "Agendas") }
    var agendaOf: String { pick("Agenda de", "Agenda of") }
    var tableSheets: String { pick("Feuilles de table", "Table sheets") }
    var noMeetings: String { pick("Participants sans rendez-vous", "Participants without a meeting") }
    var overview: String { pick("Vue d’ensemble", "Overview") }
    var breaks: String { pick("Trous entre rendez-vous", "Breaks between meetings") }
    var tableChanges: String { pick("Changements de table", "Table changes") }
    var table: String { pick("Table", "Table") }
    var time: String { pick("Heure", "Time") }
    var start: String { pick("Début", "Start") }
    var end: String { pick("Fin", "End") }
    var date: String { pick("Date", "Date") }
    var slot: String { pick("Créneau", "Slot") }
    var counterpart: String { pick("Interlocuteur", "Counterpart") }
    var organisation: String { pick("Organisation", "Organisation") }
    var role: String { pick("Rôle", "Role") }
    var topics: String { pick("Thématiques", "Topics") }
    var priority: String { pick("Priorité", "Priority") }
    var participant: String { pick("Participant", "Participant") }
    var name: String { pick("Nom", "Name") }
    var free: String { pick("libre", "free") }
    var hostTable: String { pick("Table attitrée", "Host table") }
    var host: String { pick("Hôte", "Host") }
    var meetings: String { pick("Rendez-vous", "Meetings") }
    var meeting: String { pick("Rendez-vous", "Meeting") }
    var noMeeting: String { pick("Aucun rendez-vous", "No meeting") }
    var pinned: String { pick("fixé", "pinned") }
    var mutual: String { pick("mutuel", "mutual") }
    var requests: String { pick("Demandes", "Requests") }
    var sent: String { pick("envoyée", "sent") }
    var received: String { pick("reçue", "received") }
    var why: String { pick("Pourquoi", "Why") }
    var noExplanation: String {
        pick(
            "Pas d’explication fournie (partnering schedule --explain).",
            "No explanation given (partnering schedule --explain).")
    }
    var noReasonKnown: String { pick("raison non précisée", "no reason given") }
    var everyoneMet: String {
        pick(
            "Chaque participant ayant une demande a au moins un rendez-vous.", "Everyone with a request has a meeting.")
    }
    var objective: String { pick("Objectif", "Objective") }
    var bound: String { pick("Borne supérieure", "Upper bound") }
    var satisfied: String { pick("Demandes satisfaites par priorité", "Satisfied requests by priority") }
    var utilisation: String { pick("Occupation des tables par créneau", "Table utilisation by slot") }
    var histogram: String { pick("Rendez-vous par participant", "Meetings per participant") }
    var participantsAxis: String { pick("participants", "participants") }
    var meetingsAxis: String { pick("rendez-vous", "meetings") }
    var met: String { pick("obtenues", "met") }
    var requested: String { pick("demandées", "requested") }
    var tablesInUse: String { pick("tables occupées", "tables in use") }
    var legend: String { pick("Légende", "Legend") }
    var session: String { pick("Session", "Session") }

    /// `P1`, the short name of a priority.
    func priorityName(_ priority: Int) -> String { "P\(priority)" }

    /// Each day of the model as people write it: `vendredi 13 novembre 2026`, `Friday 13 November 2026`.
    func dayTitles(of model: GridModel) -> [String] {
        let dates = EventDateText(timeZone: model.timeZone)
        return model.days.map { day in
            day.slots.first.map { dates.day(model.slots[$0].start, in: language) } ?? day.date
        }
    }

    /// A number with its noun: `1 meeting`, `3 meetings`.
    func count(_ value: Int, _ singular: (fr: String, en: String), _ plural: (fr: String, en: String)) -> String {
        "\(value) " + (value == 1 ? pick(singular.fr, singular.en) : pick(plural.fr, plural.en))
    }
}
