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

    /// Works on bytes, not `String` lines: splitting text on "\r\n" walks grapheme clusters, and
    /// with 10,000 clients connecting at once that showed up as a sixth of the tool's own CPU time.
    private static func parse(_ raw: ArraySlice<UInt8>) throws -> ResponseHead {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = raw.startIndex
        var index = raw.startIndex
        while index < raw.endIndex {
            if raw[index] == 13, index + 1 < raw.endIndex, raw[index + 1] == 10 {
                lines.append(raw[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(raw[lineStart..<raw.endIndex])
        let statusLine = lines[0]
        let parts = statusLine.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].starts(with: Array("HTTP/".utf8)), parts[1].count == 3,
              parts[1].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            throw BenchError("not an HTTP response: \(String(decoding: statusLine.prefix(80), as: UTF8.self))")
        }
        let status = parts[1].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: 0x3A) else {
                throw BenchError("malformed response header: \(String(decoding: line.prefix(80), as: UTF8.self))")
            }
            let name = line[..<colon].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            var value = line[(colon + 1)...]
            while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
            while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
            headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return ResponseHead(version: String(decoding: parts[0], as: UTF8.self), status: status,
                            reason: parts.count > 2 ? String(decoding: parts[2], as: UTF8.self) : "", headers: headers)
    }
}
