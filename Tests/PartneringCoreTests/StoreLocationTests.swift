import PartneringCore
import Testing

@Suite("Store locations")
struct StoreLocationTests {
    @Test(
        "Locations parse from configuration text",
        arguments: [
            ("memory", StoreLocation.memory),
            ("data/partnering.sqlite", .sqlite(path: "data/partnering.sqlite")),
            ("sqlite:///var/lib/partnering/db.sqlite", .sqlite(path: "/var/lib/partnering/db.sqlite")),
            ("sqlite:db.sqlite", .sqlite(path: "db.sqlite")),
            (
                "postgres://partnering@127.0.0.1:5432/partnering",
                .postgres(url: "postgres://partnering@127.0.0.1:5432/partnering")
            ),
            ("postgresql://u:secret@db/app", .postgres(url: "postgresql://u:secret@db/app")),
        ])
    func parseLocation(text: String, expected: StoreLocation) throws {
        #expect(try StoreLocation(parsing: text) == expected)
    }

    @Test(
        "Bad locations are refused with the reason",
        arguments: ["", "mysql://x@y/z", "postgres://db/app", "postgres://u@db", "sqlite:"])
    func badLocation(text: String) {
        let error = #expect(throws: StoreLocation.Invalid.self) { try StoreLocation(parsing: text) }
        #expect(error?.description.hasPrefix("invalid database location \"\(text)\": ") == true)
    }

    @Test("A location prints without its password")
    func locationDescription() throws {
        let location = try StoreLocation(parsing: "postgres://u:secret@db:5432/app")
        #expect(location.description == "postgres://u:redacted@db:5432/app")
        #expect(StoreLocation.embedded(dataDirectory: "data").description == "sqlite:data/partnering.sqlite")
    }
}
