import Foundation

/// Runs Python scripts on files the views wrote, so that an independent parser (Python's
/// `csv`, the `icalendar` package) reads them back.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `script` with `arguments` (as `sys.argv[1:]`) and returns its standard output.
    /// A module the script needs and cannot import fails the test (never skips it):
    /// scripts/install-dependencies.sh installs them.
    static func run(_ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let hint =
                errorText.contains("ModuleNotFoundError")
                ? " (scripts/install-dependencies.sh installs the Python packages the tests need)" : ""
            throw Failure(description: "python3 exited \(process.terminationStatus): \(errorText)\(hint)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs `script` and decodes its standard output as JSON.
    static func json<Value: Decodable>(_ type: Value.Type, _ script: String, arguments: [String]) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(run(script, arguments: arguments).utf8))
    }

    /// Writes `data` to a fresh temporary file and returns its path.
    static func temporaryFile(_ data: Data, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grids-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}
