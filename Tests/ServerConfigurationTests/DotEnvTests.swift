import Foundation
import Testing
@testable import ServerConfiguration

@Suite struct DotEnvTests {
    @Test func parsesTheSupportedForms() throws {
        let text = """
            # a comment
              # an indented comment

            PORT=4000
            export HOST=127.0.0.1
            SPACED = padded value   
            EMPTY=
            SINGLE='literal \\n $HOME # not a comment'
            DOUBLE="line one\\nline two\\t\\"quoted\\" \\\\ \\q"
            HASH=pa#ss # trailing comment
            QUOTED_COMMENT="value" # comment
            DOLLAR=$HOME/${USER}
            CRLF=yes\r
            PORT=4001
            """
        let values = try EnvironmentSource.parseDotEnv(text)
        #expect(values == [
            "PORT": "4001",
            "HOST": "127.0.0.1",
            "SPACED": "padded value",
            "EMPTY": "",
            "SINGLE": "literal \\n $HOME # not a comment",
            "DOUBLE": "line one\nline two\t\"quoted\" \\ \\q",
            "HASH": "pa#ss",
            "QUOTED_COMMENT": "value",
            "DOLLAR": "$HOME/${USER}",
            "CRLF": "yes",
        ])
    }

    @Test(arguments: [
        ("OK=1\nno equals sign here\n", 2),
        ("OK=1\n\n=value\n", 3),
        ("1ABC=1\n", 1),
        ("A=\"unterminated\n", 1),
        ("A='unterminated\n", 1),
        ("A=\"closed\" junk\n", 1),
        ("export\n", 1),
        ("MY-KEY=1\n", 1),
    ])
    func namesTheLineOfAMalformedEntry(text: String, line: Int) {
        #expect(throws: DotEnvError.self) { try EnvironmentSource.parseDotEnv(text) }
        do {
            _ = try EnvironmentSource.parseDotEnv(text)
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix(".env line \(line): "))
        }
    }

    @Test func neverRepeatsTheOffendingLine() {
        do {
            _ = try EnvironmentSource.parseDotEnv("JWT_SECRET \"super-secret-value-0123456789abcdef\"\n")
            Issue.record("a malformed line was accepted")
        } catch {
            #expect(!error.description.contains("super-secret"))
        }
    }

    @Test func theEnvironmentWinsOverTheFile() {
        let source = EnvironmentSource(
            environment: ["PORT": "5000", "HOME": "/root"], dotEnv: ["PORT": "4000", "LOG_LEVEL": "debug"])
        #expect(source["PORT"] == "5000")
        #expect(source["LOG_LEVEL"] == "debug")
        #expect(source["HOME"] == "/root")
        #expect(source.dotEnvNames == ["LOG_LEVEL"])
    }

    @Test func readsAFileAndTheProcessEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(".env").path
        // PATH is set in every test process, so the file's value must lose to it.
        try "PORT=4321\nPATH=/from/dotenv\n".write(toFile: path, atomically: true, encoding: .utf8)
        let source = try EnvironmentSource.process(dotEnvPath: path)
        #expect(source["PORT"] == ProcessInfo.processInfo.environment["PORT"] ?? "4321")
        #expect(source["PATH"] == ProcessInfo.processInfo.environment["PATH"])
        #expect(source.dotEnvPath == path)

        try "OK=1\nbroken\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: DotEnvError(path: path, line: 2, reason: "expected KEY=value (no '=' after broken)")) {
            try EnvironmentSource.process(dotEnvPath: path)
        }

        let missing = try EnvironmentSource.process(dotEnvPath: directory.appendingPathComponent("absent").path)
        #expect(missing.dotEnvPath == nil)
        #expect(missing.dotEnvNames.isEmpty)
    }
}
