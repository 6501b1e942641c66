import Foundation

/// Where a person goes back to after signing in: a path of this site, carried by the
/// sign-in page and the access link (`?next=`). Anything else (another host, a scheme,
/// `//host`, a backslash, control characters, an overlong value) is dropped, so that a
/// crafted link cannot send someone to another site (no open redirect).
public enum ReturnPath {
    /// The longest return path kept; real ones are short (`/me/requests/r-…`).
    public static let maximumLength = 512

    /// `text` when it is a same-site path (optionally with a query), else `nil`.
    public static func validated(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text.utf8.count <= maximumLength, text.hasPrefix("/"),
            !text.hasPrefix("//"), !text.hasPrefix("/\\")
        else { return nil }
        // Printable ASCII only (links are percent-encoded), no backslash or fragment tricks.
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && scalar != "\\"
        }
        guard allowed, let components = URLComponents(string: text), components.scheme == nil,
            components.host == nil, components.path.hasPrefix("/")
        else { return nil }
        return text
    }

    /// `url` with the return path added as its `next` query parameter (when valid).
    public static func appending(_ path: String?, to url: String) -> String {
        guard let path = validated(path) else { return url }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/"))
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return url + (url.contains("?") ? "&" : "?") + "next=" + encoded
    }
}
