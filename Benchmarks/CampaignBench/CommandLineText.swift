import ArgumentParser
import Foundation

/// What the subcommands share at their edge: the command line as quoted in reports, and error reporting.
enum CommandLineText {
    /// The arguments shell-quoted, with the token's value replaced by `…` (a token never goes into a report).
    static func redacted(_ arguments: [String]) -> String {
        var out: [String] = []
        var hideNext = false
        for argument in arguments {
            if hideNext {
                out.append("…")
                hideNext = false
            } else if argument == "--token" {
                out.append(argument)
                hideNext = true
            } else if argument.hasPrefix("--token=") {
                out.append("--token=…")
            } else {
                out.append(quoted(argument))
            }
        }
        return out.joined(separator: " ")
    }

    /// Runs a subcommand's body: a `BenchError` becomes one line on stderr and exit status 1,
    /// a finished but unclean run exit status 2.
    static func reportingErrors(_ body: () throws -> Bool) throws {
        let clean: Bool
        do {
            clean = try body()
        } catch let error as BenchError {
            FileHandle.standardError.write(Data("campaign-bench: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        if !clean { throw ExitCode(2) }
    }

    private static func quoted(_ argument: String) -> String {
        if argument.isEmpty { return "''" }
        let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }
        return safe ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
