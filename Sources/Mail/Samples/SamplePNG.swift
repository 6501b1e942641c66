import Foundation
import PartneringCore

/// A small grayscale PNG drawn in code: a pattern that looks like a QR code (three finder
/// squares and pseudo-random modules) for previews and benchmarks of the ticket message.
/// It encodes nothing; real tickets come from the Tickets target.
public enum SamplePNG {
    /// The sample ticket image: 25 modules plus a quiet zone, 4 pixels per module.
    public static let ticket: Data = encodeBlackAndWhite(
        width: 132, height: 132, dark: qrLikePattern(modules: 25, quietZone: 4, scale: 4))

    /// Black and white pixels (row by row, `true` is black, `width * height` of them) as a PNG.
    private static func encodeBlackAndWhite(width: Int, height: Int, dark: [Bool]) -> Data {
        Data(PNGWriter.blackAndWhite(width: width, height: height) { x, y in dark[y * width + x] })
    }

    private static func qrLikePattern(modules: Int, quietZone: Int, scale: Int) -> [Bool] {
        var dark = [[Bool]](repeating: [Bool](repeating: false, count: modules), count: modules)
        var state: UInt32 = 0x2545_F491
        for row in 0..<modules {
            for column in 0..<modules {
                state = state &* 1_664_525 &+ 1_013_904_223
                dark[row][column] = state >> 31 == 1
            }
        }
        for (top, left) in [(0, 0), (0, modules - 7), (modules - 7, 0)] {
            for row in -1...7 {
                for column in -1...7 {
                    let y = top + row
                    let x = left + column
                    guard (0..<modules).contains(y), (0..<modules).contains(x) else { continue }
                    let ring = max(abs(row - 3), abs(column - 3))
                    dark[y][x] = ring != 2 && ring != 4
                }
            }
        }
        let side = (modules + 2 * quietZone) * scale
        var pixels = [Bool](repeating: false, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let row = y / scale - quietZone
                let column = x / scale - quietZone
                if (0..<modules).contains(row), (0..<modules).contains(column), dark[row][column] {
                    pixels[y * side + x] = true
                }
            }
        }
        return pixels
    }
}
