/// An incremental HTTP/1.1 request parser (RFC 9112): bytes go in as they arrive, complete requests
/// come out. Pure: no I/O, no clock; the connection owns the socket and the timers.
///
/// Strict where leniency enables request smuggling: bare LF or CR, obsolete line folding, whitespace
/// before a colon, both `Content-Length` and `Transfer-Encoding`, conflicting lengths and malformed
/// chunk sizes are all a 400 after which the connection must be closed.
public struct HTTPParser: Sendable {
    /// What `next()` found.
    public enum Result: Sendable {
        /// Not enough bytes yet for the next step.
        case needMoreData
        /// The head asked for `Expect: 100-continue`: send `100 Continue`, then keep feeding.
        case expectContinue
        /// A complete request.
        case request(HTTPRequest)
        /// The input is unusable: answer with this error and close the connection.
        case error(HTTPError)
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var state: State = .head(scannedTo: 0, requestLineEnd: nil)
    private var continueAnswered = false
    /// How far the line starting at `start` (a chunk-size or trailer line) has been searched for its LF,
    /// so a line arriving byte by byte is not rescanned from its first byte every time.
    var lineScan = (start: -1, scanned: 0)

    enum State: Sendable {
        /// Searching the head's end; bytes before `scannedTo` (relative to `readIndex`) are checked.
        case head(scannedTo: Int, requestLineEnd: Int?)
        // Boxed: a head kept inline would make every connection's parser (and every idle stream)
        // about 100 bytes larger for the rare request with a body.
        indirect case fixedBody(RequestHead, length: Int)
        indirect case chunkedBody(RequestHead, body: [UInt8], phase: ChunkPhase)
        case failed
    }

    enum ChunkPhase: Sendable, Equatable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers(bytesSoFar: Int)
    }

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Bytes received but not yet consumed by a complete request.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether a request has started arriving but is not complete (for the header/body timeouts).
    public var isMidRequest: Bool {
        switch state {
        case .head: bufferedByteCount > 0
        case .fixedBody, .chunkedBody: true
        case .failed: false
        }
    }

    /// Whether the head of the current request is complete and the body is still arriving.
    public var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkedBody: true
        default: false
        }
    }

    /// Appends received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex > 0 && readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
            lineScan = (-1, 0)
        } else if readIndex > 16 * 1024 && readIndex * 2 > buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
            lineScan = (-1, 0)
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Frees the buffer's memory when nothing is pending (an idle or streaming connection keeps none).
    public mutating func releaseMemoryIfIdle() {
        if readIndex == buffer.count {
            buffer = []
            readIndex = 0
            lineScan = (-1, 0)
        }
    }

    /// Advances as far as the buffered bytes allow.
    public mutating func next() -> Result {
        switch state {
        case .failed:
            return .error(HTTPError(.badRequest, message: "the connection is unusable"))
        case .head(let scannedTo, let requestLineEnd):
            return parseHead(scannedTo: scannedTo, requestLineEnd: requestLineEnd)
        case .fixedBody(let head, let length):
            return readFixedBody(head, length: length)
        case .chunkedBody(let head, let body, let phase):
            return readChunkedBody(head, body: body, phase: phase)
        }
    }

    mutating func fail(_ error: HTTPError) -> Result {
        state = .failed
        return .error(error)
    }

    private mutating func parseHead(scannedTo: Int, requestLineEnd knownLineEnd: Int?) -> Result {
        // Empty lines before a request line are ignored (RFC 9112 §2.2).
        while bufferedByteCount >= 2 && buffer[readIndex] == 0x0D && buffer[readIndex + 1] == 0x0A && scannedTo == 0 {
            readIndex += 2
        }
        let available = bufferedByteCount
        var index = scannedTo
        var requestLineEnd = knownLineEnd
        // Every limit is checked at the byte position where it is crossed, so the outcome depends
        // only on the bytes, never on how the reads happened to cut them.
        let requestLineLimit = limits.maximumTargetBytes + Self.requestLineOverhead
        while index < available {
            let byte = buffer[readIndex + index]
            if let lineEnd = requestLineEnd {
                // The header section (without the request line) may end with its empty line no later than this.
                if index - (lineEnd + 2) > limits.maximumHeaderBytes + 1 {
                    return fail(HTTPError(.headerFieldsTooLarge, message: "the header section is larger than \(limits.maximumHeaderBytes) bytes"))
                }
            } else if index > requestLineLimit && !(index == requestLineLimit + 1 && byte == 0x0A && buffer[readIndex + index - 1] == 0x0D) {
                return fail(HTTPError(.uriTooLong, message: "the request target is longer than \(limits.maximumTargetBytes) bytes"))
            }
            if byte == 0x0A {
                guard index > 0, buffer[readIndex + index - 1] == 0x0D else {
                    return fail(HTTPError(.badRequest, message: "bare LF in the request head"))
                }
                if requestLineEnd == nil { requestLineEnd = index - 1 }
                if index >= 3 && buffer[readIndex + index - 2] == 0x0A && buffer[readIndex + index - 3] == 0x0D {
                    return headComplete(length: index + 1)
                }
            } else if index > 0 && buffer[readIndex + index - 1] == 0x0D {
                return fail(HTTPError(.badRequest, message: "bare CR in the request head"))
            }
            index += 1
        }
        // A CR at the very end may pair with the next byte: look at it again next time.
        state = .head(scannedTo: max(0, available - 1), requestLineEnd: requestLineEnd)
        return .needMoreData
    }

    /// Method and version around the target; a longer request line than target limit + this is a 414.
    static let requestLineOverhead = 64

    private mutating func headComplete(length: Int) -> Result {
        let headBytes = buffer[readIndex..<(readIndex + length)]
        readIndex += length
        continueAnswered = false
        switch RequestHead.parse(headBytes, limits: limits) {
        case .failure(let error):
            return fail(error)
        case .success(let head):
            switch head.framing {
            case .none:
                state = .head(scannedTo: 0, requestLineEnd: nil)
                return .request(head.request(body: []))
            case .contentLength(let length):
                state = .fixedBody(head, length: length)
                return readFixedBody(head, length: length)
            case .chunked:
                state = .chunkedBody(head, body: [], phase: .size)
                return readChunkedBody(head, body: [], phase: .size)
            }
        }
    }

    private mutating func readFixedBody(_ head: RequestHead, length: Int) -> Result {
        guard bufferedByteCount >= length else {
            if length >= limits.largeBodyBytes && bufferedByteCount >= limits.largeBodyBytes && buffer.capacity < readIndex + length {
                moveToBufferFor(bodyBytes: length)
            }
            return askForContinueIfNeeded(head)
        }
        let body: [UInt8]
        if length >= limits.largeBodyBytes && readIndex + length == buffer.count {
            // The body is all that is buffered: the buffer becomes the body, nothing is copied.
            var whole: [UInt8] = []
            swap(&whole, &buffer)
            if readIndex > 0 { whole.removeFirst(readIndex) }
            body = whole
            readIndex = 0
            lineScan = (-1, 0)
        } else {
            body = Array(buffer[readIndex..<(readIndex + length)])
            readIndex += length
        }
        state = .head(scannedTo: 0, requestLineEnd: nil)
        return .request(head.request(body: body))
    }

    /// Moves what is buffered of the body (and anything after it) to the front of a buffer with room for
    /// the whole body, once `largeBodyBytes` of it have arrived. Why: grown by doubling and then copied
    /// out, a 1 MiB body held the event loop about 2 ms, mostly page faults on each new array, while every
    /// other client waited (perf, 100 creates of 1 MiB); read into one buffer that becomes the body, about
    /// 1 ms. The room is reserved, not written (pages are touched only as bytes arrive), and only for a
    /// client that has sent that much: one that announces a large body and trickles it keeps an ordinary
    /// buffer (a reservation per connection would be address space, and commit charge where overcommit is
    /// strict).
    private mutating func moveToBufferFor(bodyBytes: Int) {
        var bodyBuffer: [UInt8] = []
        bodyBuffer.reserveCapacity(bodyBytes)
        bodyBuffer.append(contentsOf: buffer[readIndex...])
        buffer = bodyBuffer
        readIndex = 0
        lineScan = (-1, 0)
    }

    mutating func askForContinueIfNeeded(_ head: RequestHead) -> Result {
        if head.expectsContinue && !continueAnswered && bufferedByteCount == 0 {
            continueAnswered = true
            return .expectContinue
        }
        return .needMoreData
    }

    /// Consumes `count` buffered bytes (chunked decoding).
    mutating func consume(_ count: Int) { readIndex += count }

    /// The absolute read position (identifies the line being scanned).
    var readPosition: Int { readIndex }

    /// The buffered byte at `offset` past the read position.
    func byte(at offset: Int) -> UInt8 { buffer[readIndex + offset] }

    /// Copies `count` buffered bytes into `body` and consumes them.
    mutating func move(_ count: Int, into body: inout [UInt8]) {
        body.append(contentsOf: buffer[readIndex..<(readIndex + count)])
        readIndex += count
    }

    mutating func setState(_ newState: State) { state = newState }
}
