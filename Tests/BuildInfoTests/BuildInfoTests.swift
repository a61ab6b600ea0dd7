import BuildInfo
import Foundation
import Testing
import TestSupport

/// The version and commit `campaign-server --version` prints.
@Suite struct BuildInfoTests {
    static let packageDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theVersionIsSemantic() {
        let parts = BuildInfo.version.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }, "\(BuildInfo.version)")
        #expect(BuildInfo.description.contains(BuildInfo.version) && BuildInfo.description.contains(BuildInfo.commit))
    }

    /// Built from a git checkout, the commit is one of the repository's commits (the manifest read it
    /// from `.git`); it may be an earlier one after an incremental build, never a made-up one.
    @Test func theCommitIsACommitOfThisRepository() async throws {
        let gitPath = Self.packageDirectory.appendingPathComponent(".git").path
        guard FileManager.default.fileExists(atPath: gitPath) else {
            #expect(BuildInfo.commit == "unknown")
            return
        }
        #expect(BuildInfo.commit.count >= 40 && BuildInfo.commit.allSatisfy(\.isHexDigit), "\(BuildInfo.commit)")
        let git = try await ChildProcess.run(
            "/usr/bin/env", ["git", "-C", Self.packageDirectory.path, "cat-file", "-t", BuildInfo.commit])
        let type = String(decoding: git.output, as: UTF8.self)
        #expect(git.succeeded && type.trimmingCharacters(in: .whitespacesAndNewlines) == "commit")
    }
}
