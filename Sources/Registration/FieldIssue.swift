import PartneringCore

/// What is wrong with one field of a form or request body.
public struct FieldIssue: Sendable, Hashable, Codable {
    /// The field's name, as the form and the JSON body spell it (`email`, `topics`...).
    public var field: String
    public var problem: Problem

    public init(_ field: String, _ problem: Problem) {
        self.field = field
        self.problem = problem
    }

    /// The kinds of field problems, each with a stable code.
    public enum Problem: Sendable, Hashable, Codable {
        case required
        case tooLong(max: Int)
        case invalidEmail
        case invalidCountry
        case invalidPhone
        case unknownChoice
        case outOfRange(min: Int, max: Int)
        case consentRequired
        case notANumber
        /// A control character, a line separator or a bidirectional override (``TextRules``).
        case controlCharacter

        public var code: String {
            switch self {
            case .required: "required"
            case .tooLong: "too_long"
            case .invalidEmail: "invalid_email"
            case .invalidCountry: "invalid_country"
            case .invalidPhone: "invalid_phone"
            case .unknownChoice: "unknown_choice"
            case .outOfRange: "out_of_range"
            case .consentRequired: "consent_required"
            case .notANumber: "not_a_number"
            case .controlCharacter: "control_character"
            }
        }
    }

    /// The message shown next to the field, in `language`.
    public func message(in language: Language) -> String {
        let text: LocalizedText =
            switch problem {
            case .required: LocalizedText(fr: "Ce champ est obligatoire.", en: "This field is required.")
            case .tooLong(let max):
                LocalizedText(fr: "\(max) caractères au plus.", en: "At most \(max) characters.")
            case .invalidEmail:
                LocalizedText(
                    fr: "Une adresse e-mail comme nom@exemple.fr est attendue.",
                    en: "An e-mail address such as name@example.org is expected.")
            case .invalidCountry:
                LocalizedText(fr: "Choisissez un pays de la liste.", en: "Choose a country from the list.")
            case .invalidPhone:
                LocalizedText(
                    fr: "Un numéro de téléphone comme +33 1 23 45 67 89 est attendu.",
                    en: "A phone number such as +44 20 7946 0000 is expected.")
            case .unknownChoice:
                LocalizedText(fr: "Choisissez parmi les options proposées.", en: "Choose among the options offered.")
            case .outOfRange(let min, let max):
                LocalizedText(
                    fr: "Un nombre entre \(min) et \(max) est attendu.",
                    en: "A number between \(min) and \(max) is expected.")
            case .consentRequired:
                LocalizedText(
                    fr: "Votre accord est nécessaire pour vous inscrire.", en: "Your consent is needed to register.")
            case .notANumber: LocalizedText(fr: "Un nombre entier est attendu.", en: "A whole number is expected.")
            case .controlCharacter:
                LocalizedText(
                    fr: "Ce champ contient un caractère de contrôle ou de direction d'écriture non autorisé.",
                    en: "This field contains a control or text-direction character that is not allowed.")
            }
        return text[language]
    }
}
