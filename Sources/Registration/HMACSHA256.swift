import COpenSSL
import Foundation

/// HMAC-SHA256 (RFC 2104) through OpenSSL's one-shot MAC.
enum HMACSHA256 {
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length = 0
        // EVP_Q_mac fails only when memory runs out; an all-zero tag then matches no genuine tag.
        _ = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                EVP_Q_mac(
                    nil, "HMAC", nil, "SHA256", nil, keyBytes.baseAddress, key.count,
                    messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &output, 32,
                    &length)
            }
        }
        return output
    }

    /// Compares in time independent of where the first difference is.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
