import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// `Idempotency-Key`: makes a retried POST create one thing.
    static let idempotencyKey = Self("Idempotency-Key") ?? .contentType
    /// `X-Forwarded-For`: the client behind a reverse proxy, for the login rate limit.
    static let forwardedFor = Self("X-Forwarded-For") ?? .contentType
    /// `X-Frame-Options`: no framing, for browsers that ignore CSP `frame-ancestors`.
    static let xFrameOptions = Self("X-Frame-Options") ?? .contentType
    /// `Referrer-Policy`: what a followed link tells the next site.
    static let referrerPolicy = Self("Referrer-Policy") ?? .contentType
    /// `X-Request-Id`: the id of a request in the logs, taken from a proxy or made here.
    static let requestID = Self("X-Request-Id") ?? .contentType
    /// `X-Robots-Tag`: private addresses (hall boards) are not for search engines.
    static let robotsTag = Self("X-Robots-Tag") ?? .contentType
}
