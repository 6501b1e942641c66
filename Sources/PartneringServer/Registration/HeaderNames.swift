import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// `Idempotency-Key`: makes a retried POST create one thing.
    static let idempotencyKey = Self("Idempotency-Key") ?? .contentType
    /// `X-Forwarded-For`: the client behind a reverse proxy, for the login rate limit.
    static let forwardedFor = Self("X-Forwarded-For") ?? .contentType
}
