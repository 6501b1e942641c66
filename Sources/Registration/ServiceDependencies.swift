import Foundation
import PartneringCore
import Synchronization

/// The clock and the source of randomness the services use: injected, so that
/// tests control time (expired links) and ids.
public struct ServiceDependencies: Sendable {
    public var now: @Sendable () -> Date
    public var randomBytes: @Sendable (Int) -> [UInt8]

    public init(now: @escaping @Sendable () -> Date, randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.now = now
        self.randomBytes = randomBytes
    }

    /// The system clock and the system's cryptographic generator.
    public static let live = ServiceDependencies(
        now: { Date() },
        randomBytes: { count in
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        })

    /// A clock that starts at `start` and that the caller moves, and seeded bytes.
    public static func controlled(clock: TestClock, seed: UInt64 = 1) -> ServiceDependencies {
        let generator = Mutex(SeededRandom(seed: seed))
        return ServiceDependencies(
            now: { clock.now },
            randomBytes: { count in
                generator.withLock { random in (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
            })
    }

    /// `count` random bytes as lowercase hexadecimal digits.
    public func randomHex(bytes count: Int) -> String {
        HexDigits.encode(randomBytes(count))
    }

    /// A notice to queue, with a fresh id: the one way every service names its notices.
    public func notice(
        _ kind: QueuedNotice.Kind, to participant: ParticipantID, reference: String? = nil, detail: String? = nil,
        at time: Date
    ) -> QueuedNotice {
        QueuedNotice(
            id: "n-" + randomHex(bytes: 10), kind: kind, participant: participant, reference: reference,
            detail: detail, queuedAt: time)
    }
}

/// A clock that moves only when told: for tests of expiry and for replays.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
