/// Why a message could not be composed: each case names the field, file or value at fault.
public enum MailError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A header value contained a carriage return or a line feed, which would let the
    /// value start a header of its own (header injection).
    case headerInjection(field: String)
    /// A header value contained a control character other than a tab.
    case controlCharacter(field: String, scalar: UInt32)
    /// An e-mail address that is not a plain `local@domain` address.
    case invalidAddress(field: String, value: String, reason: String)
    /// An attachment file name that cannot be written in a MIME parameter.
    case invalidFileName(String)
    /// A content type or Content-ID that is not a valid token.
    case invalidMIMEValue(field: String, value: String)
    /// A required placeholder of a message kind has no value (or an empty one).
    case missingPlaceholder(kind: MessageKind, name: String)
    /// A value was given for a placeholder the message kind does not declare.
    case unknownPlaceholder(kind: MessageKind, name: String)
    /// The message kind needs the ticket's QR code image and none was given.
    case missingTicketImage(kind: MessageKind)
    /// The message kind needs the participant's agenda and none was given.
    case missingAgenda(kind: MessageKind)
    /// The agenda has a meeting that ends before it starts, or an empty UID.
    case invalidAgenda(reason: String)
    /// A template file the catalogue needs is missing.
    case missingTemplate(path: String)
    /// A template file could not be read or parsed.
    case invalidTemplate(path: String, reason: String)

    public var description: String {
        switch self {
        case .headerInjection(let field):
            "header \(field): the value contains a line break (CR or LF), refused to prevent header injection"
        case .controlCharacter(let field, let scalar):
            "header \(field): the value contains the control character U+\(String(scalar, radix: 16, uppercase: true))"
        case .invalidAddress(let field, let value, let reason):
            "\(field): '\(value)' is not a valid e-mail address: \(reason)"
        case .invalidFileName(let name):
            "attachment file name '\(name)' must be printable ASCII without quotes, backslashes or slashes"
        case .invalidMIMEValue(let field, let value):
            "\(field): '\(value)' is not a valid MIME token"
        case .missingPlaceholder(let kind, let name):
            "message \(kind.rawValue): placeholder '\(name)' needs a non-empty value"
        case .unknownPlaceholder(let kind, let name):
            "message \(kind.rawValue): '\(name)' is not one of its placeholders"
        case .missingTicketImage(let kind):
            "message \(kind.rawValue): needs the ticket's QR code (PNG)"
        case .missingAgenda(let kind):
            "message \(kind.rawValue): needs the participant's agenda"
        case .invalidAgenda(let reason):
            "agenda: \(reason)"
        case .missingTemplate(let path):
            "template \(path) is missing"
        case .invalidTemplate(let path, let reason):
            "template \(path): \(reason)"
        }
    }
}
