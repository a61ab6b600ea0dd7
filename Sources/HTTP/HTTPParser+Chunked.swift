extension HTTPParser {
    /// Longest chunk-size line accepted (size, extensions and CRLF); chunk extensions are ignored.
    static let maximumChunkLineBytes = 4096

    /// Decodes `Transfer-Encoding: chunked` (RFC 9112 §7.1) incrementally.
    mutating func readChunkedBody(_ head: RequestHead, body: [UInt8], phase: ChunkPhase) -> Result {
        var body = body
        var phase = phase
        while true {
            switch phase {
            case .size:
                guard let lineLength = lineLength(limit: Self.maximumChunkLineBytes) else {
                    if bufferedByteCount >= Self.maximumChunkLineBytes + 2 {
                        return fail(HTTPError(.badRequest, message: "chunk size line too long"))
                    }
                    setState(.chunkedBody(head, body: body, phase: phase))
                    return body.isEmpty ? askForContinueIfNeeded(head) : .needMoreData
                }
                if lineLength < 0 { return fail(HTTPError(.badRequest, message: "bare LF in a chunk size line")) }
                guard let size = parseChunkSize(length: lineLength) else {
                    return fail(HTTPError(.badRequest, message: "invalid chunk size"))
                }
                consume(lineLength + 2)
                if size == 0 {
                    phase = .trailers(bytesSoFar: 0)
                } else {
                    guard body.count + size <= limits.maximumBodyBytes else {
                        return fail(HTTPError(.contentTooLarge, message: "the body is larger than \(limits.maximumBodyBytes) bytes"))
                    }
                    phase = .data(remaining: size)
                }
            case .data(let remaining):
                let available = min(remaining, bufferedByteCount)
                if available > 0 { move(available, into: &body) }
                if available < remaining {
                    setState(.chunkedBody(head, body: body, phase: .data(remaining: remaining - available)))
                    return .needMoreData
                }
                phase = .dataEnd
            case .dataEnd:
                guard bufferedByteCount >= 2 else {
                    setState(.chunkedBody(head, body: body, phase: phase))
                    return .needMoreData
                }
                guard byte(at: 0) == 0x0D && byte(at: 1) == 0x0A else {
                    return fail(HTTPError(.badRequest, message: "chunk data not followed by CRLF"))
                }
                consume(2)
                phase = .size
            case .trailers(let bytesSoFar):
                // Positional, like the head: a trailer line must end within what the limit leaves.
                let remaining = max(0, limits.maximumHeaderBytes - bytesSoFar)
                guard let lineLength = lineLength(limit: remaining) else {
                    if bufferedByteCount >= remaining + 2 {
                        return fail(HTTPError(.headerFieldsTooLarge, message: "the trailer section is too large"))
                    }
                    setState(.chunkedBody(head, body: body, phase: phase))
                    return .needMoreData
                }
                if lineLength < 0 { return fail(HTTPError(.badRequest, message: "bare LF in the trailer section")) }
                consume(lineLength + 2)
                if lineLength == 0 {
                    setState(.head(scannedTo: 0, requestLineEnd: nil))
                    return .request(head.request(body: body))
                }
                // Trailer fields are read and discarded: nothing in this API uses them.
                let total = bytesSoFar + lineLength + 2
                if total > limits.maximumHeaderBytes {
                    return fail(HTTPError(.headerFieldsTooLarge, message: "the trailer section is too large"))
                }
                phase = .trailers(bytesSoFar: total)
            }
        }
    }

    /// The length of the next CRLF-terminated line (without CRLF) if its LF is within `limit + 2`
    /// bytes; nil when not (yet) found; -1 for a bare LF.
    private mutating func lineLength(limit: Int) -> Int? {
        if lineScan.start != readPosition { lineScan = (readPosition, 0) }
        var index = lineScan.scanned
        let available = min(bufferedByteCount, limit + 2)
        while index < available {
            if byte(at: index) == 0x0A { return index > 0 && byte(at: index - 1) == 0x0D ? index - 1 : -1 }
            index += 1
        }
        lineScan.scanned = index
        return nil
    }

    /// `1*HEXDIG [ BWS ";" chunk-ext ]`; nil when malformed or absurdly large.
    private func parseChunkSize(length: Int) -> Int? {
        var size = 0
        var digits = 0
        var index = 0
        while index < length, let value = PercentDecoding.hexValue(byte(at: index)) {
            digits += 1
            guard digits <= 15 else { return nil }
            size = size << 4 | Int(value)
            index += 1
        }
        guard digits > 0 else { return nil }
        while index < length, byte(at: index) == 0x20 || byte(at: index) == 0x09 { index += 1 }
        if index < length {
            guard byte(at: index) == 0x3B else { return nil }
            for offset in index..<length where byte(at: offset) == 0x0D || byte(at: offset) < 0x09 {
                return nil
            }
        }
        return size
    }
}
