import ArgumentParser
import Foundation
import PartneringConfig

/// A failure a command reports as one clear line.
enum CommandFailure: Error, CustomStringConvertible {
    /// The input (a flag, a file, the configuration) is wrong: exit status 2.
    case badInput(String)
    /// Something the operator must look at (a server, the disk): exit status 1.
    case failed(String)

    var description: String {
        switch self {
        case .badInput(let message), .failed(let message): message
        }
    }
}

/// Runs a command's body, turning every error into one line on stderr and an
/// exit status: 2 for bad input (configuration included), 1 otherwise.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CommandFailure {
        printError(failure.description)
        switch failure {
        case .badInput: throw ExitCode(2)
        case .failed: throw ExitCode(1)
        }
    } catch let error as ConfigurationError {
        printError(error.description)
        throw ExitCode(2)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError(String(describing: error))
        throw ExitCode(1)
    }
}

/// Writes `partnering: error: MESSAGE` to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("partnering: error: \(message)\n".utf8))
}
