import COpenSSL
import Synchronization

/// Owns one OpenSSL `EVP_PKEY` holding an Ed25519 key, and a few digest contexts
/// already set up for it.
///
/// Setting a context up (`EVP_DigestSignInit`/`EVP_DigestVerifyInit`) costs OpenSSL 3 an
/// algorithm fetch, more than the Ed25519 arithmetic itself; an Ed25519 context can serve
/// any number of one-shot operations, so contexts are kept in a small pool and reused.
/// `@unchecked Sendable`: the key never changes after creation, and each context is used
/// by one caller at a time, handed out under the pool's lock.
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer
    private let signingContexts = ContextPool()
    private let verifyingContexts = ContextPool()

    /// Takes ownership of `pointer`, which must be an Ed25519 key.
    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit {
        // The pools free their contexts first: they are released with the key's fields,
        // but the contexts hold their own reference to the key, so the order is safe.
        EVP_PKEY_free(pointer)
    }

    /// The raw 32-byte public key.
    func rawPublicKey() throws(TicketKeyError) -> [UInt8] {
        var length = 32
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(pointer, &bytes, &length) == 1, length == 32 else {
            throw .openSSL("reading the raw public key", OpenSSLError.drain())
        }
        return bytes
    }

    /// The Ed25519 signature of `message` (64 bytes). Ed25519 hashes internally, so the
    /// whole message goes in at once ("one-shot" signing), with no digest named.
    func sign(_ message: [UInt8]) throws(TicketKeyError) -> [UInt8] {
        var length = 64
        var signature = [UInt8](repeating: 0, count: length)
        let signed = withContext(signing: true) { context in
            EVP_DigestSign(context, &signature, &length, message, message.count) == 1
        }
        guard signed == true, length == 64 else { throw .openSSL("signing", OpenSSLError.drain()) }
        return signature
    }

    /// Whether `signature` is this public key's Ed25519 signature of `message`.
    func verify(signature: some Collection<UInt8>, message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        let signatureBytes = Array(signature)
        let verified = withContext(signing: false) { context in
            EVP_DigestVerify(context, signatureBytes, signatureBytes.count, message, message.count) == 1
        }
        if verified != true { OpenSSLError.discard() }
        return verified == true
    }

    /// Runs `body` with a context set up for this key, from the pool or new. `body`
    /// returns whether OpenSSL succeeded; a context that saw a failure is not reused.
    /// `nil` when no context could be set up.
    private func withContext(signing: Bool, _ body: (OpaquePointer) -> Bool) -> Bool? {
        let pool = signing ? signingContexts : verifyingContexts
        guard let context = pool.take() ?? newContext(signing: signing) else { return nil }
        let succeeded = body(context)
        if succeeded {
            pool.give(context)
        } else {
            EVP_MD_CTX_free(context)
        }
        return succeeded
    }

    private func newContext(signing: Bool) -> OpaquePointer? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        let ready =
            signing
            ? EVP_DigestSignInit(context, nil, nil, nil, pointer)
            : EVP_DigestVerifyInit(context, nil, nil, nil, pointer)
        guard ready == 1 else {
            EVP_MD_CTX_free(context)
            return nil
        }
        return context
    }

    /// The key in PEM: PKCS#8 `PRIVATE KEY` when `privatePart`, else `PUBLIC KEY`
    /// (SubjectPublicKeyInfo).
    func pem(privatePart: Bool) throws(TicketKeyError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw .openSSL("allocating a memory buffer", OpenSSLError.drain())
        }
        defer { BIO_free(bio) }
        let written =
            privatePart
            ? PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil)
            : PEM_write_bio_PUBKEY(bio, pointer)
        guard written == 1 else { throw .openSSL("writing PEM", OpenSSLError.drain()) }
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            let count = BIO_read(bio, &chunk, Int32(chunk.count))
            guard count > 0 else { break }
            text.append(contentsOf: chunk[0..<Int(count)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads a PEM key: PKCS#8 private key when `privatePart`, else SubjectPublicKeyInfo.
    /// Returns `nil` when the text holds no such key or a key of another algorithm.
    static func read(pem: String, privatePart: Bool) -> OpenSSLKey? {
        let bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                return nil
            }
            defer { BIO_free(bio) }
            return privatePart
                ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else {
            OpenSSLError.discard()
            return nil
        }
        guard EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 else {
            EVP_PKEY_free(key)
            return nil
        }
        return OpenSSLKey(taking: key)
    }

    /// A key from raw bytes: a 32-byte private seed when `privatePart`, else a public key.
    static func make(raw: [UInt8], privatePart: Bool) -> OpenSSLKey? {
        guard raw.count == 32 else { return nil }
        let key =
            privatePart
            ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, raw, raw.count)
            : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count)
        guard let key else {
            OpenSSLError.discard()
            return nil
        }
        return OpenSSLKey(taking: key)
    }

    /// A fresh random Ed25519 key pair from OpenSSL's generator.
    static func generate() throws(TicketKeyError) -> OpenSSLKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw .openSSL("creating a key-generation context", OpenSSLError.drain())
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key
        else { throw .openSSL("generating a key", OpenSSLError.drain()) }
        return OpenSSLKey(taking: key)
    }
}

/// Digest contexts ready for one key and one operation, each lent to one caller at a time.
private final class ContextPool: Sendable {
    /// A context in the pool; only the holder of the lock touches it.
    private struct Entry: @unchecked Sendable { let context: OpaquePointer }
    private let entries = Mutex<[Entry]>([])
    /// Contexts kept: enough for the cores of a desk server; more are freed after use.
    private static let limit = 16

    func take() -> OpaquePointer? { entries.withLock { $0.popLast()?.context } }

    func give(_ context: OpaquePointer) {
        let kept = entries.withLock { entries in
            guard entries.count < Self.limit else { return false }
            entries.append(Entry(context: context))
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
    }

    deinit {
        for entry in entries.withLock({ $0 }) { EVP_MD_CTX_free(entry.context) }
    }
}

/// OpenSSL's per-thread error queue, turned into text for error messages.
enum OpenSSLError {
    /// The queued errors as one line, emptying the queue.
    static func drain() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self))
        }
        return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
    }

    /// Empties the queue after an expected failure, so it does not leak into a later message.
    static func discard() { ERR_clear_error() }
}

/// Why a key could not be made, read or used.
public enum TicketKeyError: Error, Equatable, CustomStringConvertible {
    case invalidPrivateKey(String)
    case invalidPublicKey(String)
    case openSSL(String, String)

    public var description: String {
        switch self {
        case .invalidPrivateKey(let reason): "invalid private key: \(reason)"
        case .invalidPublicKey(let reason): "invalid public key: \(reason)"
        case .openSSL(let operation, let detail): "OpenSSL failed \(operation): \(detail)"
        }
    }
}
