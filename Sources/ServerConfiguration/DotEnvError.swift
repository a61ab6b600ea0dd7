/// A `.env` file that could not be read or has a line that is not `KEY=value`.
///
/// The line's text is never repeated: it may hold a secret.
public struct DotEnvError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, when the text came from one.
    public var path: String?
    /// 1-based line number; nil when the file as a whole could not be read.
    public var line: Int?
    public var reason: String

    public init(path: String? = nil, line: Int?, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let file = path ?? ".env"
        guard let line else { return "\(file): \(reason)" }
        return "\(file) line \(line): \(reason)"
    }
}
