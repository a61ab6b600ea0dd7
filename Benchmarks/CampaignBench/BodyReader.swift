/// Collects a response body framed by `Content-Length`, chunked encoding, or the end of the connection.
struct BodyReader {
    private enum Framing {
        case length(Int)
        case chunked(ChunkedDecoder)
        case untilClose
    }

    private var framing: Framing
    private(set) var body: [UInt8] = []

    init(head: ResponseHead) {
        if head.status == 204 || head.status == 304 || head.status < 200 {
            framing = .length(0)
        } else if head.isChunked {
            framing = .chunked(ChunkedDecoder())
        } else if let length = head.contentLength {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
    }

    /// True when the body is complete without waiting for more bytes.
    var isComplete: Bool {
        switch framing {
        case .length(let remaining): return remaining == 0
        case .chunked(let decoder): return decoder.isFinished
        case .untilClose: return false
        }
    }

    /// True if the end of the connection ends this body (no length given).
    var endsAtClose: Bool {
        if case .untilClose = framing { return true }
        return false
    }

    /// Takes what belongs to the body from `input`; returns how many bytes it used.
    mutating func feed(_ input: UnsafeRawBufferPointer) throws -> Int {
        switch framing {
        case .length(let remaining):
            let take = min(remaining, input.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<take]))
            framing = .length(remaining - take)
            return take
        case .chunked(var decoder):
            var collected = body
            body = []
            let used = try decoder.decode(input) { collected.append(contentsOf: $0) }
            body = collected
            framing = .chunked(decoder)
            return used
        case .untilClose:
            body.append(contentsOf: input)
            return input.count
        }
    }
}
