extension StringProtocol {
    /// Without the optional white space HTTP allows around values and list elements: spaces and
    /// horizontal tabs only (RFC 9110 §5.6.3), never other Unicode space.
    public func trimmingOptionalWhitespace() -> SubSequence {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
