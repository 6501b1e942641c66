import Foundation

/// An e-mail address with an optional display name: `Hélène Dupré <helene@example.org>`.
///
/// The address itself is checked when made: a plain ASCII `local@domain` (dot-atoms),
/// the form every relay accepts; a display name may be any text without line breaks.
public struct MailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public let address: String
    public let displayName: String?

    /// - Throws: `MailError.headerInjection` if either part contains a line break,
    ///   `MailError.invalidAddress` if `address` is not `local@domain`.
    public init(_ address: String, name: String? = nil, field: String = "address") throws {
        try HeaderText.validate(address, field: field)
        if let name { try HeaderText.validate(name, field: field) }
        try Self.checkAddress(address, field: field)
        self.address = address
        let trimmed = name?.trimmingCharacters(in: .whitespaces)
        self.displayName = trimmed?.isEmpty == false ? trimmed : nil
    }

    public var description: String {
        guard let displayName else { return address }
        return "\(displayName) <\(address)>"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            container.decode(String.self, forKey: .address),
            name: container.decodeIfPresent(String.self, forKey: .displayName))
    }

    private static func checkAddress(_ address: String, field: String) throws {
        func fail(_ reason: String) -> MailError {
            .invalidAddress(field: field, value: address, reason: reason)
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail("expected exactly one '@'") }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else {
            throw fail("the part before '@' must have 1 to 64 characters")
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw fail("dots may not start, end or repeat in the part before '@'")
        }
        guard local.unicodeScalars.allSatisfy({ $0 == "." || HeaderText.isAtomText($0) }) else {
            throw fail("the part before '@' may only use letters, digits and !#$%&'*+-/=?^_`{|}~.")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard domain.utf8.count <= 253, labels.count >= 1,
            labels.allSatisfy({ label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy {
                        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
                    }
            })
        else {
            throw fail("the domain must be ASCII labels of letters, digits and hyphens separated by dots")
        }
    }
}
