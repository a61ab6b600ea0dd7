/// Collects response bytes until the blank line that ends the head, then parses it.
struct ResponseHeadParser {
    /// A head larger than this is not from a server we understand.
    static let maximumSize = 64 * 1024

    private var bytes: [UInt8] = []

    /// Feeds `input`; returns the head and how many bytes of `input` it used, or nil while incomplete.
    mutating func feed(_ input: UnsafeRawBufferPointer) throws -> (head: ResponseHead, consumed: Int)? {
        let previous = bytes.count
        bytes.append(contentsOf: input)
        // Search from just before the new bytes: the terminator may straddle two reads.
        var index = max(0, previous - 3)
        while index + 3 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                let end = index + 4
                let head = try Self.parse(bytes[0..<index])
                let consumed = end - previous
                bytes = []
                return (head, consumed)
            }
            index += 1
        }
        if bytes.count > Self.maximumSize { throw BenchError("the server sent a response head over 64 KiB") }
        return nil
    }

    private static func parse(_ raw: ArraySlice<UInt8>) throws -> ResponseHead {
        let text = String(decoding: raw, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let statusLine = lines.popFirst() else { throw BenchError("empty HTTP response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw BenchError("not an HTTP response: \(statusLine.prefix(80))")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw BenchError("malformed response header: \(line.prefix(80))") }
            headers.append((line[..<colon].lowercased(), String(String(line[line.index(after: colon)...]).trimmingSpaces)))
        }
        return ResponseHead(version: String(parts[0]), status: status,
                            reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }
}
