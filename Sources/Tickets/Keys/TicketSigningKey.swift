import COpenSSL
import PartneringCore

/// An Ed25519 private key that signs tickets. Its text form is PKCS#8 PEM, which only
/// the key store writes (mode 0600); the description never shows key material.
public struct TicketSigningKey: Sendable, CustomStringConvertible {
    let key: OpenSSLKey
    /// The public half, which verifiers receive.
    public let publicKey: TicketPublicKey

    private init(key: OpenSSLKey) throws(TicketKeyError) {
        self.key = key
        self.publicKey = try TicketPublicKey(raw: key.rawPublicKey())
    }

    /// A new random key.
    public static func generate() throws(TicketKeyError) -> TicketSigningKey {
        try TicketSigningKey(key: OpenSSLKey.generate())
    }

    /// The key whose 32-byte private seed is `seed` (RFC 8032): for fixed test vectors.
    public init(seed: [UInt8]) throws(TicketKeyError) {
        guard let key = OpenSSLKey.make(raw: seed, privatePart: true) else {
            throw .invalidPrivateKey("an Ed25519 seed has 32 bytes, got \(seed.count)")
        }
        try self.init(key: key)
    }

    /// Reads a PKCS#8 PEM private key (the `BEGIN PRIVATE KEY` block), which must be Ed25519.
    public init(pkcs8PEM: String) throws(TicketKeyError) {
        guard let key = OpenSSLKey.read(pem: pkcs8PEM, privatePart: true) else {
            throw .invalidPrivateKey("expected an Ed25519 key in PKCS#8 PEM (BEGIN PRIVATE KEY)")
        }
        try self.init(key: key)
    }

    /// The key as PKCS#8 PEM: secret, to be written only with mode 0600.
    public func pkcs8PEM() throws(TicketKeyError) -> String { try key.pem(privatePart: true) }

    /// The id of the key, derived from its public half.
    public var keyID: TicketKeyID { publicKey.keyID }

    /// The 64-byte Ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) throws(TicketKeyError) -> [UInt8] {
        try key.sign(message)
    }

    public var description: String { "TicketSigningKey(\(keyID))" }
}

/// An Ed25519 public key that verifies tickets.
public struct TicketPublicKey: Sendable, Hashable, CustomStringConvertible {
    let key: OpenSSLKey
    /// The raw 32-byte public key (RFC 8032).
    public let raw: [UInt8]
    /// First 4 bytes of SHA-256 of `raw`.
    public let keyID: TicketKeyID

    /// The public key with these 32 raw bytes.
    public init(raw: [UInt8]) throws(TicketKeyError) {
        guard let key = OpenSSLKey.make(raw: raw, privatePart: false) else {
            throw .invalidPublicKey("an Ed25519 public key has 32 bytes, got \(raw.count)")
        }
        try self.init(key: key, raw: raw)
    }

    /// Reads a SubjectPublicKeyInfo PEM public key (`-----BEGIN PUBLIC KEY-----`).
    public init(pem: String) throws(TicketKeyError) {
        guard let key = OpenSSLKey.read(pem: pem, privatePart: false) else {
            throw .invalidPublicKey("expected an Ed25519 key in PEM (BEGIN PUBLIC KEY)")
        }
        try self.init(key: key, raw: key.rawPublicKey())
    }

    private init(key: OpenSSLKey, raw: [UInt8]) throws(TicketKeyError) {
        self.key = key
        self.raw = raw
        guard let keyID = TicketKeyID(bytes: SHA256Digest.of(raw).prefix(TicketKeyID.byteCount))
        else { throw .openSSL("hashing the public key", OpenSSLError.drain()) }
        self.keyID = keyID
    }

    /// The key as SubjectPublicKeyInfo PEM, readable by `openssl pkey -pubin` and by
    /// Python's `cryptography` (`load_pem_public_key`).
    public func pem() throws(TicketKeyError) -> String { try key.pem(privatePart: false) }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: some Collection<UInt8>, of message: [UInt8]) -> Bool {
        key.verify(signature: signature, message: message)
    }

    public var description: String { "TicketPublicKey(\(keyID))" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.raw == rhs.raw }
    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

extension TicketSigningKey {
    /// The OpenSSL library in use, as it names itself ("OpenSSL 3.0.19 27 Jan 2026").
    public static var cryptoLibraryVersion: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }
}
