extension String {
    /// Whether the text has at most `limit` Unicode scalars, the unit every length limit counts in.
    ///
    /// A scalar is 1 to 4 bytes of UTF-8, so the byte count settles most cases without walking the
    /// text: a megabyte sent to a 10,000-character field is refused at once, not counted.
    public func hasAtMostScalars(_ limit: Int) -> Bool {
        let byteCount = utf8.count
        if byteCount <= limit { return true }
        if byteCount / 4 > limit { return false }
        return unicodeScalars.count <= limit
    }
}
