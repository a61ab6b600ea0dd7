/// How log lines are written (LOG_FORMAT).
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    case text
    case json
}
