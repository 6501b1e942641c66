import Foundation
import PartneringCore
import Testing

@Suite("ISO 8601 moments")
struct InternetTimeTests {
    @Test("offsets, Z and fractions are read; local times and dates alone are not")
    func parsing() throws {
        let moment = Date(timeIntervalSince1970: 1_794_556_800)  // 2026-11-13T08:00:00Z
        #expect(InternetTime.parse("2026-11-13T09:00:00+01:00") == moment)
        #expect(InternetTime.parse("2026-11-13T08:00:00Z") == moment)
        #expect(InternetTime.parse("2026-11-13T08:00:00.500Z") == moment.addingTimeInterval(0.5))
        #expect(InternetTime.parse("2026-11-13T09:00:00") == nil)
        #expect(InternetTime.parse("2026-11-13") == nil)
        #expect(InternetTime.parse("13/11/2026 09:00") == nil)
        #expect(InternetTime.parse("") == nil)
    }

    @Test("a date alone is midnight UTC where the command line allows it")
    func dateOrMoment() {
        #expect(InternetTime.parseDateOrMoment("2026-11-13") == Date(timeIntervalSince1970: 1_794_528_000))
        #expect(InternetTime.parseDateOrMoment("2026-11-13T08:00:00Z") == Date(timeIntervalSince1970: 1_794_556_800))
        #expect(InternetTime.parseDateOrMoment("tomorrow") == nil)
    }

    @Test("written in UTC by default, with the zone's offset otherwise, and read back")
    func writing() throws {
        let moment = Date(timeIntervalSince1970: 1_794_556_800)
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        #expect(InternetTime.string(moment) == "2026-11-13T08:00:00Z")
        #expect(InternetTime.string(moment, in: paris) == "2026-11-13T09:00:00+01:00")
        #expect(InternetTime.parse(InternetTime.string(moment, in: paris)) == moment)
    }
}

@Suite("Dates as people at the event read them")
struct EventDateTextTests {
    let paris = TimeZone(identifier: "Europe/Paris") ?? .gmt
    // 2026-10-01T07:05:09Z: 09:05 in Paris (summer time); 22:30Z is already the 2nd there.
    let morning = Date(timeIntervalSince1970: 1_790_838_309)
    let lateEvening = Date(timeIntervalSince1970: 1_790_893_800)

    @Test("day names in French and English, in the event's zone; French writes the first '1er'")
    func days() {
        let dates = EventDateText(timeZone: paris)
        #expect(dates.day(morning, in: .fr) == "jeudi 1er octobre 2026")
        #expect(dates.day(morning, in: .en) == "Thursday, 1 October 2026")
        #expect(dates.day(lateEvening, in: .fr) == "vendredi 2 octobre 2026")
        #expect(dates.dayAndTime(morning, in: .fr) == "jeudi 1er octobre 2026 à 09:05")
        #expect(dates.dayAndTime(morning, in: .en) == "Thursday, 1 October 2026 at 09:05")
    }

    @Test("times on the 24-hour clock, two digits each, in the event's zone")
    func times() {
        let dates = EventDateText(timeZone: paris)
        #expect(dates.time(morning) == "09:05")
        #expect(dates.time(lateEvening) == "00:30")
        #expect(EventDateText(timeZone: .gmt).time(lateEvening) == "22:30")
        #expect(dates.stamp(morning) == "2026-10-01 09:05")
        #expect(dates.stamp(morning, seconds: true) == "2026-10-01 09:05:09")
        #expect(dates.stamp(lateEvening) == "2026-10-02 00:30")
    }

    @Test("the ISO day is the day in the event's zone, not in UTC")
    func isoDays() {
        #expect(EventDateText(timeZone: paris).isoDay(morning) == "2026-10-01")
        #expect(EventDateText(timeZone: paris).isoDay(lateEvening) == "2026-10-02")
        #expect(EventDateText(timeZone: .gmt).isoDay(lateEvening) == "2026-10-01")
    }
}

@Suite("CSV files")
struct CSVWriterTests {
    @Test("quotes separators, quotes and line breaks; CRLF records; byte order mark first")
    func quoting() {
        var writer = CSVWriter(separator: .semicolon)
        writer.record(["plain", "a;b", "say \"hi\"", "two\r\nlines", "", "a,b"])
        #expect(writer.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: writer.bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "plain;\"a;b\";\"say \"\"hi\"\"\";\"two\r\nlines\";;a,b\r\n")
    }

    @Test(
        "a field a spreadsheet would run as a formula starts with an apostrophe",
        arguments: ["=1+1", "+33 1 23", "-1", "@SUM(A1)", "\tx", "\rx"])
    func formulas(field: String) {
        var writer = CSVWriter(separator: .comma)
        writer.record([field])
        let text = String(decoding: writer.bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("'") || text.hasPrefix("\"'"))
    }

    @Test("with commas, a field holding a comma is quoted")
    func commas() {
        var writer = CSVWriter(separator: .comma)
        writer.record(["Paris, France", "a;b"])
        #expect(String(decoding: writer.bytes.dropFirst(3), as: UTF8.self) == "\"Paris, France\",a;b\r\n")
    }
}

@Suite("PNG files")
struct PNGWriterTests {
    @Test("checksums match published values")
    func checksums() {
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksums.adler32([UInt8](repeating: 0xFF, count: 100_000)) == 0x149A_302C)
    }

    @Test("a black and white image: signature, size, valid chunks, pixels read back")
    func image() throws {
        let width = 11
        let height = 3
        let isBlack: (Int, Int) -> Bool = { x, y in (x + y) % 3 == 0 }
        let png = PNGWriter.blackAndWhite(width: width, height: height, isBlack: isBlack)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var chunks: [(type: String, data: [UInt8])] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(bigEndian(png, at: offset))
            let typeAndData = Array(png[(offset + 4)..<(offset + 8 + length)])
            #expect(bigEndian(png, at: offset + 8 + length) == Checksums.crc32(typeAndData))
            chunks.append((String(decoding: typeAndData.prefix(4), as: UTF8.self), Array(typeAndData.dropFirst(4))))
            offset += 12 + length
        }
        #expect(offset == png.count)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(bigEndian(chunks[0].data, at: 0) == UInt32(width))
        #expect(bigEndian(chunks[0].data, at: 4) == UInt32(height))
        // One stored deflate block: zlib header, BFINAL, LEN, NLEN, the rows, Adler-32.
        let stream = chunks[1].data
        let length = Int(stream[3]) | Int(stream[4]) << 8
        let raw = Array(stream[7..<(7 + length)])
        #expect(bigEndian(stream, at: 7 + length) == Checksums.adler32(raw))
        let rowBytes = (width + 7) / 8
        #expect(raw.count == height * (rowBytes + 1))
        for y in 0..<height {
            let row = raw[(y * (rowBytes + 1) + 1)...]
            for x in 0..<width {
                let white = row[row.startIndex + x / 8] & (0x80 >> UInt8(x % 8)) != 0
                #expect(white == !isBlack(x, y), "pixel (\(x), \(y))")
            }
        }
    }

    private func bigEndian(_ bytes: [UInt8], at index: Int) -> UInt32 {
        bytes[index..<(index + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

@Suite("Base64URL")
struct Base64URLTests {
    @Test("the URL alphabet without padding, and back")
    func roundTrip() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0x00, 0x01]
        #expect(Base64URL.encode(bytes) == "-_-_AAE")
        #expect(Base64URL.decode("-_-_AAE") == bytes)
        for count in 0..<7 {
            let sample = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 200) }
            #expect(Base64URL.decode(Base64URL.encode(sample)) == sample)
        }
    }

    @Test(
        "the standard alphabet, padding and impossible lengths are refused", arguments: ["+/+/", "AAE=", "A", "AB C"])
    func refusals(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite("Issues of JSON documents")
struct DocumentIssueTests {
    struct Document: Decodable {
        struct Meeting: Decodable {
            var slot: String
            var table: Int
        }
        var name: String
        var meetings: [Meeting]
    }

    private func issue(_ json: String) -> String? {
        do {
            _ = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
            return nil
        } catch let error as DecodingError {
            return DocumentIssue(decoding: error).description
        } catch {
            return "\(error)"
        }
    }

    @Test("each decoding failure names the JSON path and what was expected")
    func paths() {
        #expect(issue(#"{"meetings": []}"#) == "name: required field is missing")
        #expect(issue(#"{"name": 3, "meetings": []}"#) == "name: expected a string")
        #expect(
            issue(#"{"name": "x", "meetings": [{"slot": "a", "table": 1}, {"slot": "b", "table": "2"}]}"#)
                == "meetings[1].table: expected a whole number")
        #expect(issue(#"{"name": null, "meetings": []}"#) == "name: expected a string, found null")
        #expect(issue(#"{"name": "x", "meetings": {}}"#) == "meetings: expected a list")
        #expect(issue("not json")?.hasPrefix("not valid JSON") == true)
    }
}
