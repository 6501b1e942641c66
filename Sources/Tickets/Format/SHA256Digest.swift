import COpenSSL

/// SHA-256 through OpenSSL; used for key ids and event tags, never for secrets.
enum SHA256Digest {
    /// The 32-byte digest of `bytes`.
    static func of(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        // SHA256() fails only without memory; an all-zero digest would then be caught by
        // every comparison against a real digest, so it needs no separate error path.
        _ = SHA256(bytes, bytes.count, &digest)
        return digest
    }
}
