import PartneringCore

/// A role name packed into 6 bytes, so that tickets name the role in clear and still fit
/// the smallest QR code that holds them.
///
/// A role name of 1 to 9 characters from the 38-character alphabet `a`–`z`, `0`–`9`, `-`
/// and `_` is read as a number in bijective base 38: the digits are 1 (`a`) to 38 (`_`),
/// most significant first. Bijective numeration gives every name exactly one number and
/// every number at most one name, with no padding character.
public enum RoleCode {
    /// Bytes of a packed role.
    public static let byteCount = 6
    /// The longest role name a ticket carries.
    public static let maximumLength = 9
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let base = UInt64(alphabet.count)

    /// Why a role name cannot go into a ticket.
    public struct UnsupportedRole: Error, Equatable, CustomStringConvertible {
        public var role: Role
        public var description: String {
            "role \"\(role.rawValue)\" cannot be carried by a ticket: a role name has 1 to "
                + "\(RoleCode.maximumLength) characters among a-z, 0-9, - and _"
        }
    }

    /// The number that stands for `role`.
    public static func encode(_ role: Role) throws(UnsupportedRole) -> UInt64 {
        let characters = Array(role.rawValue.utf8)
        guard (1...maximumLength).contains(characters.count) else { throw UnsupportedRole(role: role) }
        var value: UInt64 = 0
        for character in characters {
            guard let index = alphabet.firstIndex(of: character) else { throw UnsupportedRole(role: role) }
            value = value * base + UInt64(index + 1)
        }
        return value
    }

    /// The role that `value` stands for, or `nil` if it stands for none (zero, or a name
    /// longer than `maximumLength`).
    public static func decode(_ value: UInt64) -> Role? {
        var remaining = value
        var characters: [UInt8] = []
        while remaining > 0 {
            guard characters.count < maximumLength else { return nil }
            var digit = remaining % base
            if digit == 0 { digit = base }
            characters.append(alphabet[Int(digit - 1)])
            remaining = (remaining - digit) / base
        }
        guard !characters.isEmpty else { return nil }
        return Role(rawValue: String(decoding: characters.reversed(), as: UTF8.self))
    }
}
