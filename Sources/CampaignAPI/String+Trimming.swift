/// Settings ignore white space around values; Foundation is not needed for that.
/// `package`: `ServerConfiguration` trims every setting with it too.
extension String {
    package func trimmingBlanks() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
