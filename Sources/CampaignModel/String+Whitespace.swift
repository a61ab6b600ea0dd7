extension String {
    /// The string without leading and trailing white space (Unicode `White_Space`): titles and names
    /// here, setting values in ServerConfiguration. Standard library only, so a fuzz target can
    /// compile this file alone.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
