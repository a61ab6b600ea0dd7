import CBuildCommit

/// What this binary is: `campaign-server --version`, and labels for a `build_info` metric.
public enum BuildInfo {
    /// The release version; change it with the release (openapi.yaml's `info.version` names the API's).
    public static let version = "1.0.0"

    /// The git commit the binary was built from (40 hex digits), or "unknown" when built outside a
    /// git checkout. Read by Package.swift when SwiftPM plans the build: exact for a fresh clone or an
    /// empty `.build`; SwiftPM reuses an existing plan (and its manifest cache) until Package.swift
    /// changes, so an incremental build after a new commit or checkout keeps the earlier commit.
    public static let commit = String(cString: campaign_build_commit())

    /// `campaign-server 1.0.0 (commit 0123abcd…)`.
    public static var description: String { "campaign-server \(version) (commit \(commit))" }
}
