/// The first page of `grid.html`: the figures of the schedule and the three charts.
struct OverviewSection {
    let model: GridModel
    let labels: GridLabels
    let options: GridOptions

    func render(_ html: inout MarkupBuffer) {
        html.raw("<section class=\"page overview\">\n<p class=\"event\">")
        html.text(model.eventName)
        html.raw("</p>\n<h1>")
        html.text(labels.overview)
        html.raw("</h1>\n<div class=\"summary\">")
        figures(&html)
        html.raw("</div>\n<div class=\"charts\">\n")
        let charts = OverviewCharts(model: model, labels: labels, options: options)
        charts.utilisationHeatMap().markup(into: &html)
        charts.satisfactionBars().markup(into: &html)
        charts.meetingHistogram().markup(into: &html)
        html.raw("</div>\n</section>\n")
    }

    /// Meetings, objective, bound and gap, breaks and table changes, participants without a
    /// meeting, requests met per priority; `extra` figures go after the bound.
    func figures(_ html: inout MarkupBuffer, extra: [(String, String)] = []) {
        Self.figure(&html, labels.meetings, String(model.meetings.count))
        Self.figure(&html, labels.objective, String(model.objective))
        if let bound = model.upperBound {
            let gap = bound > 0 ? Double(bound - model.objective) / Double(bound) : 0
            Self.figure(&html, labels.bound, "\(bound) (gap \(OverviewCharts.percent(gap, labels)))")
        }
        for (label, value) in extra { Self.figure(&html, label, value) }
        Self.figure(&html, labels.breaks, String(model.breaks))
        Self.figure(&html, labels.tableChanges, String(model.tableChanges))
        Self.figure(&html, labels.noMeetings, String(model.withoutMeeting.count))
        for count in model.satisfaction {
            let share = count.requested > 0 ? Double(count.met) / Double(count.requested) : 0
            Self.figure(
                &html, "\(labels.requests) \(labels.priorityName(count.priority))",
                "\(count.met)/\(count.requested) (\(OverviewCharts.percent(share, labels)))")
        }
    }

    /// One figure of a summary: its label over its value.
    static func figure(_ html: inout MarkupBuffer, _ label: String, _ value: String) {
        html.raw("<div>")
        html.text(label)
        html.raw("<b>")
        html.text(value)
        html.raw("</b></div>")
    }
}
