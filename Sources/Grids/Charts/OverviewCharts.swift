/// The pictures of the overview, drawn from the model: table utilisation by slot (heat
/// map), satisfied requests by priority (bars), meetings per participant (histogram).
struct OverviewCharts {
    let model: GridModel
    let labels: GridLabels
    /// The roles' names for the legend (see ``GridOptions/roleName(_:)``).
    let options: GridOptions

    /// One row per day, one cell per slot, darker when more tables are in use; a gap
    /// separates the sessions.
    func utilisationHeatMap() -> SVGCanvas {
        let cellWidth = 48.0, cellHeight = 34.0, left = 92.0, top = 30.0, sessionGap = 10.0
        var used = [Int](repeating: 0, count: model.slots.count)
        for meeting in model.meetings { used[meeting.slot] += 1 }
        let tableCount = max(model.tables.count, 1)
        let widths = model.days.map { day in
            Double(day.slots.count) * cellWidth + Double(max(day.sessions.count - 1, 0)) * sessionGap
        }
        let width = Int(left + (widths.max() ?? 0) + 10)
        let height = Int(top + Double(model.days.count) * (cellHeight + 6) + 24)
        var canvas = SVGCanvas(width: max(width, 320), height: height, title: labels.utilisation)
        canvas.text(labels.utilisation, x: 0, y: 16, size: 14, bold: true)
        for (row, day) in model.days.enumerated() {
            let y = top + Double(row) * (cellHeight + 6)
            canvas.text(day.date, x: 0, y: y + cellHeight / 2 + 4, size: 11)
            var x = left
            for (number, session) in day.sessions.enumerated() {
                if number > 0 { x += sessionGap }
                for slot in session.slots {
                    let share = Double(used[slot]) / Double(tableCount)
                    let percent = Int((share * 100).rounded())
                    let tooltip =
                        "\(day.date) \(model.slots[slot].startText)–\(model.slots[slot].endText): "
                        + "\(used[slot])/\(model.tables.count) \(labels.tablesInUse) (\(percent) %)"
                    canvas.rectangle(
                        x: x, y: y, width: cellWidth - 2, height: cellHeight, fill: Self.heat(share), tooltip: tooltip)
                    let ink = share > 0.55 ? "#ffffff" : "#111827"
                    canvas.text(
                        model.slots[slot].startText, x: x + cellWidth / 2 - 1, y: y + 13, size: 9, anchor: .middle,
                        fill: ink)
                    canvas.text(
                        "\(percent)%", x: x + cellWidth / 2 - 1, y: y + 27, size: 11, anchor: .middle, fill: ink,
                        bold: true)
                    x += cellWidth
                }
            }
        }
        return canvas
    }

    /// One bar per priority: the track is every request, the filled part those met.
    func satisfactionBars() -> SVGCanvas {
        let rows = model.satisfaction
        let left = 50.0, barWidth = 420.0, rowHeight = 30.0, top = 30.0
        var canvas = SVGCanvas(
            width: 700, height: Int(top + Double(max(rows.count, 1)) * rowHeight + 10), title: labels.satisfied)
        canvas.text(labels.satisfied, x: 0, y: 16, size: 14, bold: true)
        for (row, count) in rows.enumerated() {
            let y = top + Double(row) * rowHeight
            let share = count.requested > 0 ? Double(count.met) / Double(count.requested) : 0
            canvas.text(labels.priorityName(count.priority), x: 0, y: y + 15, size: 12, bold: true)
            canvas.rectangle(x: left, y: y, width: barWidth, height: 20, fill: "#e5e7eb")
            canvas.rectangle(
                x: left, y: y, width: barWidth * share, height: 20, fill: PageStyle.roleColour(row).edge,
                tooltip: "\(labels.priorityName(count.priority)): \(count.met)/\(count.requested)")
            canvas.text(
                "\(count.met) / \(count.requested) \(labels.met) · \(Self.percent(share, labels))",
                x: left + barWidth + 8, y: y + 15, size: 11)
        }
        return canvas
    }

    /// How many participants have 0, 1, 2... meetings, stacked by role.
    func meetingHistogram() -> SVGCanvas {
        var counts = model.meetingsOfParticipant.map(\.count)
        if counts.isEmpty { counts = [0] }
        let maximum = counts.max() ?? 0
        var byRole = [[Int]](repeating: [Int](repeating: 0, count: maximum + 1), count: max(model.roles.count, 1))
        for (participant, count) in counts.enumerated() where participant < model.participants.count {
            byRole[model.participants[participant].roleIndex][count] += 1
        }
        let totals = (0...maximum).map { value in byRole.reduce(0) { $0 + $1[value] } }
        let tallest = max(totals.max() ?? 1, 1)
        let left = 46.0, top = 56.0, plotHeight = 180.0
        let barWidth = max(6.0, min(28.0, 640.0 / Double(maximum + 1)))
        let width = Int(left + barWidth * Double(maximum + 1) + 20)
        var canvas = SVGCanvas(width: max(width, 360), height: Int(top + plotHeight + 40), title: labels.histogram)
        canvas.text(labels.histogram, x: 0, y: 16, size: 14, bold: true)
        var legendX = 0.0
        for (index, code) in model.roles.enumerated() {
            let role = options.roleName(code)
            canvas.rectangle(x: legendX, y: 24, width: 10, height: 10, fill: PageStyle.roleColour(index).edge)
            canvas.text(role, x: legendX + 14, y: 33, size: 10)
            legendX += 24 + Double(role.count) * 6
        }
        let baseline = top + plotHeight
        canvas.line(x1: left, y1: baseline, x2: left + barWidth * Double(maximum + 1), y2: baseline)
        canvas.line(x1: left, y1: top, x2: left, y2: baseline)
        canvas.text(String(tallest), x: left - 4, y: top + 4, size: 9, anchor: .end)
        canvas.text("0", x: left - 4, y: baseline, size: 9, anchor: .end)
        canvas.text(labels.participantsAxis, x: 0, y: top - 4, size: 9)
        for value in 0...maximum {
            let x = left + Double(value) * barWidth
            var y = baseline
            for role in byRole.indices where byRole[role][value] > 0 {
                let height = plotHeight * Double(byRole[role][value]) / Double(tallest)
                y -= height
                canvas.rectangle(
                    x: x + 1, y: y, width: barWidth - 2, height: height, fill: PageStyle.roleColour(role).edge,
                    tooltip:
                        "\(model.roles.indices.contains(role) ? options.roleName(model.roles[role]) : ""): \(byRole[role][value]) × \(value) \(labels.meetingsAxis)"
                )
            }
            let step = maximum > 30 ? 5 : maximum > 12 ? 2 : 1
            if value % step == 0 {
                canvas.text(String(value), x: x + barWidth / 2, y: baseline + 13, size: 9, anchor: .middle)
            }
        }
        canvas.text(
            labels.meetingsAxis, x: left + barWidth * Double(maximum + 1), y: baseline + 28, size: 9, anchor: .end)
        return canvas
    }

    /// From pale grey (no table in use) to dark blue (every table in use).
    static func heat(_ share: Double) -> String {
        let clamped = min(max(share, 0), 1)
        let from = (241.0, 245.0, 249.0), to = (30.0, 58.0, 138.0)
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * clamped).rounded()) }
        let hex = [channel(from.0, to.0), channel(from.1, to.1), channel(from.2, to.2)].map { value in
            let digits = String(value, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "#" + hex.joined()
    }

    /// `91.6 %` or `91,6 %`.
    static func percent(_ share: Double, _ labels: GridLabels) -> String {
        let text = String((share * 1000).rounded() / 10)
        return (labels.language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text) + " %"
    }
}
