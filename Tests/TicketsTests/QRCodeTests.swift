import Foundation
import PartneringCore
import Testing

@testable import Tickets

@Suite struct QRCodeTests {
    @Test func aTicketFitsVersion6AtLevelM() throws {
        let matrix = try QRMatrix(alphanumeric: TestVectors.tokenA)
        #expect(matrix.size <= 41)
        #expect(matrix.version == 6)
        #expect(matrix.modules.count == 41 * 41)
    }

    @Test func thePNGDecodesWithZbarimgToExactlyTheToken() throws {
        let folder = try TemporaryFolder()
        for token in [TestVectors.tokenA, TestVectors.tokenB] {
            let file = folder.file("ticket.png")
            try Data(try QRMatrix(alphanumeric: token).png()).write(to: file)
            let result = try run("zbarimg", ["--raw", "-q", file.path])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output == token + "\n")
        }
    }

    @Test func thePNGHasTheQuietZoneAndScaleAskedFor() throws {
        let png = try QRMatrix(alphanumeric: TestVectors.tokenA).png(scale: 3, quietZone: 4)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == (41 + 8) * 3)
        let folder = try TemporaryFolder()
        let file = folder.file("small.png")
        try Data(png).write(to: file)
        #expect(try run("zbarimg", ["--raw", "-q", file.path]).output == TestVectors.tokenA + "\n")
    }

    @Test func theSVGDrawsEveryDarkModuleOnce() throws {
        let matrix = try QRMatrix(alphanumeric: TestVectors.tokenA)
        let svg = matrix.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 49 49\""))
        // Each run "h<n>" covers n modules; together they cover exactly the dark ones.
        let runs = svg.split(separator: "h").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        #expect(runs.reduce(0, +) == matrix.modules.filter { $0 }.count)
    }

    @Test func textsOutsideTheAlphanumericSetAreRefused() {
        #expect(throws: QRMatrix.EncodingError.self) { try QRMatrix(alphanumeric: "pt1:lower") }
        #expect(throws: QRMatrix.EncodingError.self) { try QRMatrix(alphanumeric: "") }
    }
}
