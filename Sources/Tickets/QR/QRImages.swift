import PartneringCore

extension QRMatrix {
    /// The QR code as a PNG: `scale` pixels per module and a white margin of `quietZone`
    /// modules on each side (the standard asks for 4).
    public func png(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let scale = max(1, scale)
        let margin = max(0, quietZone)
        let side = (size + 2 * margin) * scale
        // Every module row gives `scale` identical pixel rows: pack each once.
        let blank = PNGWriter.packedRow(width: side) { _ in false }
        var rows = Array(repeating: blank, count: margin * scale)
        rows.reserveCapacity(side)
        for row in 0..<size {
            let packed = PNGWriter.packedRow(width: side) { x in
                let column = x / scale - margin
                return column >= 0 && column < size && self[column, row]
            }
            rows.append(contentsOf: repeatElement(packed, count: scale))
        }
        rows.append(contentsOf: repeatElement(blank, count: margin * scale))
        return PNGWriter.blackAndWhite(width: side, packedRows: rows)
    }

    /// The QR code as an SVG document for pages: one path, one unit per module, a white
    /// margin of `quietZone` modules; it scales to any `width` (a CSS length).
    public func svg(quietZone: Int = 4, width: String = "100%") -> String {
        let margin = max(0, quietZone)
        let side = size + 2 * margin
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard self[column, row] else {
                    column += 1
                    continue
                }
                let start = column
                while column < size, self[column, row] { column += 1 }
                path += "M\(start + margin) \(row + margin)h\(column - start)v1h-\(column - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" \
            width="\(width)" shape-rendering="crispEdges" role="img" aria-label="QR code">\
            <rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>

            """
    }
}
