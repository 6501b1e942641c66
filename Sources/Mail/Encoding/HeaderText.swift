/// Writing header fields (RFC 5322 section 2.2): values checked for line breaks,
/// non-ASCII text as RFC 2047 encoded-words, long fields folded.
enum HeaderText {
    /// Folded lines are kept to 76 characters: RFC 2047 limits a line that carries
    /// encoded-words to 76, and RFC 5322 recommends 78 for every line.
    static let lineLimit = 76

    /// Refuses a value that could break out of its header field.
    static func validate(_ value: String, field: String) throws {
        for scalar in value.unicodeScalars {
            if scalar == "\r" || scalar == "\n" || scalar == "\u{85}" || scalar == "\u{2028}"
                || scalar == "\u{2029}"
            {
                throw MailError.headerInjection(field: field)
            }
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                throw MailError.controlCharacter(field: field, scalar: scalar.value)
            }
        }
    }

    /// An unstructured field such as `Subject`: plain words when the text is short ASCII,
    /// encoded-words otherwise.
    static func unstructured(_ name: String, _ value: String) throws -> String {
        try validate(value, field: name)
        let words = value.replacing("\t", with: " ").split(separator: " ").map(String.init)
        let firstRoom = lineLimit - name.utf8.count - 2
        let tokens: [String]
        if EncodedWords.needsEncoding(value) || words.contains(where: { $0.utf8.count > lineLimit - 1 }) {
            tokens = EncodedWords.encode(words.joined(separator: " "), firstLimit: firstRoom)
        } else {
            tokens = words
        }
        return fold(name, tokens)
    }

    /// An address list field such as `From` or `To`.
    static func addresses(_ name: String, _ list: [MailAddress]) throws -> String {
        var tokens: [String] = []
        for (index, address) in list.enumerated() {
            let room = index == 0 ? lineLimit - name.utf8.count - 2 : EncodedWords.maxWordLength
            var addressTokens = try phraseTokens(address.displayName, field: name, firstLimit: room)
            addressTokens.append(addressTokens.isEmpty ? address.address : "<\(address.address)>")
            if index < list.count - 1 { addressTokens[addressTokens.count - 1] += "," }
            tokens += addressTokens
        }
        return fold(name, tokens)
    }

    /// A field whose value is one token that must not be folded (Message-ID, Date, ...).
    static func simple(_ name: String, _ value: String) throws -> String {
        try validate(value, field: name)
        return "\(name): \(value)"
    }

    /// A display name as a phrase: atoms, a quoted string, or atoms and encoded-words.
    ///
    /// Runs of words that need encoding become one "B" encoded-word when they fit: some
    /// readers (Python's `email` among them) keep the space between two encoded-words of a
    /// phrase, which RFC 2047 section 6.2 says to drop, so fewer words read the same everywhere.
    private static func phraseTokens(_ name: String?, field: String, firstLimit: Int) throws -> [String] {
        guard let name, !name.isEmpty else { return [] }
        try validate(name, field: field)
        let words = name.replacing("\t", with: " ").split(separator: " ").map(String.init)
        if words.isEmpty { return [] }
        let isAtom = { (word: String) in word.unicodeScalars.allSatisfy(isAtomText) && !word.contains("=?") }
        if !EncodedWords.needsEncoding(name) {
            if words.allSatisfy(isAtom) { return words }
            if name.utf8.count <= 60 { return [quoted(words.joined(separator: " "))] }
        }
        var tokens: [String] = []
        var run: [String] = []
        func flush() {
            guard !run.isEmpty else { return }
            let text = run.joined(separator: " ")
            if let word = EncodedWords.singleBase64Word(text) {
                tokens.append(word)
            } else {
                tokens += EncodedWords.encode(
                    text, firstLimit: tokens.isEmpty ? firstLimit : EncodedWords.maxWordLength)
            }
            run = []
        }
        for word in words {
            if isAtom(word) {
                flush()
                tokens.append(word)
            } else {
                run.append(word)
            }
        }
        flush()
        return tokens
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// `atext` of RFC 5322 section 3.2.3.
    static func isAtomText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}",
            "~":
            true
        default: false
        }
    }

    /// Joins tokens with spaces, breaking the line before a token that would pass the limit.
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var lines: [String] = []
        var line = name + ":"
        var lineIsEmpty = true
        for token in tokens {
            let fits = line.utf8.count + 1 + token.utf8.count <= lineLimit
            if lineIsEmpty && !fits && 1 + token.utf8.count <= lineLimit {
                // The field body may start on the next line (it begins with folding white space).
                lines.append(line)
                line = " " + token
            } else if lineIsEmpty || fits {
                line += " " + token
            } else {
                lines.append(line)
                line = " " + token
            }
            lineIsEmpty = false
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }
}
