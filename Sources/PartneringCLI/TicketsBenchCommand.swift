import ArgumentParser
import Foundation
import PartneringCore
import Tickets

/// `partnering bench tickets`: ticket verifications and signatures per second on one core
/// (target: at least 10,000 verifications per second).
struct TicketsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "Verify and sign tickets on one core (target: 10,000 verifications per second).",
        discussion: """
            A verification is what a desk does per scan: take the PT1 text apart (Base45), look up
            the key, check the Ed25519 signature through OpenSSL, then event, revocation list
            (500 ids) and validity. A signature is what registration does per ticket: a random id,
            the body, the Ed25519 signature and the Base45 text.
            """)

    @Option(help: "Seconds to spend on each measurement.")
    var seconds = 2.0

    @Flag(help: "Exit with an error when verification is under 10,000 per second.")
    var check = false

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive.") }
    }

    func run() async throws {
        let key = try TicketSigningKey.generate()
        let event: EventID = "bench-event"
        let issuer = TicketIssuer(key: key, event: event)
        let now = Date()
        var revocations = RevocationList()
        var tokens: [String] = []
        for number in 0..<1_000 {
            let ticket = try issuer.issue(
                participantNumber: number, role: number.isMultiple(of: 2) ? .company : .expert,
                notBefore: now - 3600, expiry: now + 86_400)
            if number.isMultiple(of: 2) {
                tokens.append(ticket.token)
            } else {
                revocations.revoke(ticket.claims.ticketID)
            }
        }
        let verifier = TicketVerifier(
            keys: TicketKeySet([try TicketSigningKey.generate().publicKey, key.publicKey]),
            revocations: revocations, event: event, clock: { now })

        var valid = 0
        let verifications = Self.measure(seconds: seconds) { round in
            if verifier.verify(tokens[round % tokens.count]).refusal == nil { valid += 1 }
        }
        let signatures = try Self.measure(seconds: seconds) { round in
            _ = try issuer.issue(
                participantNumber: round % 65_536, role: .expert, notBefore: now, expiry: now + 86_400)
        }
        guard valid == verifications.rounds else {
            throw ValidationError("only \(valid) of \(verifications.rounds) verifications were valid")
        }
        print("tickets: one core, Ed25519 through \(TicketSigningKey.cryptoLibraryVersion)")
        print("  load average when measured: \(Self.loadAverage)")
        Self.report("verifications", verifications, target: 10_000)
        Self.report("signatures", signatures, target: nil)
        if check && verifications.perCPUSecond < 10_000 { throw ExitCode(1) }
    }

    /// How many rounds ran, in how much wall-clock time and CPU time of the thread.
    private struct Measurement {
        var rounds: Int
        var wallSeconds: Double
        var cpuSeconds: Double
        /// What one core does when it works for this alone: the figure for the target,
        /// steady on a machine shared with other work.
        var perCPUSecond: Double { Double(rounds) / cpuSeconds }
        var perWallSecond: Double { Double(rounds) / wallSeconds }
    }

    private static func report(_ name: String, _ measurement: Measurement, target: Double?) {
        let rate = measurement.perCPUSecond
        var line =
            "  \(name): \(format(rate))/s per core (\(format(1e6 / rate, digits: 1)) µs of CPU each; "
            + "\(format(measurement.perWallSecond))/s by the wall clock, \(measurement.rounds) rounds)"
        if let target { line += "; target >= \(format(target))/s: \(rate >= target ? "met" : "NOT met")" }
        print(line)
    }

    /// Runs `body` with rounds 0, 1, 2... on this thread until `seconds` have passed.
    private static func measure(seconds: Double, _ body: (Int) throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        let limit = Duration.milliseconds(Int64(seconds * 1000))
        var rounds = 0
        while clock.now - start < limit {
            // Read the clock every 256 rounds, so that reading it costs nothing measurable.
            for _ in 0..<256 {
                try body(rounds)
                rounds += 1
            }
        }
        let elapsed = clock.now - start
        return Measurement(
            rounds: rounds,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            cpuSeconds: threadCPUSeconds() - cpuStart)
    }

    /// CPU time used by the calling thread so far.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The 1, 5 and 15-minute load averages, printed with every measurement.
    static var loadAverage: String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    private static func format(_ value: Double, digits: Int = 0) -> String {
        value.formatted(.number.precision(.fractionLength(digits)))
    }
}
