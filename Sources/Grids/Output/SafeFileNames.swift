/// File names made from ids: only letters, digits, `-`, `_` and `.` (never a leading dot),
/// and unique even when two ids clean up to the same text.
struct SafeFileNames {
    private let names: [String]

    init(_ ids: [String]) {
        var taken = Set<String>()
        var names: [String] = []
        names.reserveCapacity(ids.count)
        for id in ids {
            var base = String(
                id.unicodeScalars.map { scalar -> Character in
                    scalar.isASCII
                        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                            || "-_.".unicodeScalars.contains(scalar))
                        ? Character(scalar) : "_"
                }
                .prefix(80))
            if base.isEmpty || base.hasPrefix(".") { base = "_" + base }
            var name = base
            var suffix = 2
            while !taken.insert(name.lowercased()).inserted {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            names.append(name)
        }
        self.names = names
    }

    subscript(index: Int) -> String { names[index] }
}
