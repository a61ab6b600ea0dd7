import Glibc
import Sockets

/// One subscriber: a non-blocking connect, the `GET /api/events/…` request, the response head, then
/// the event stream parsed as it arrives (through a chunked decoder when the server chunks it).
final class SSEClient: PollHandler {
    enum Phase {
        case connecting, awaitingHead, readingErrorBody, streaming, closed
    }

    /// The client's number in its run, 0-based.
    let index: Int
    private(set) var phase = Phase.connecting
    /// Per-client bookkeeping that the run keeps: ordering, duplicates, its `connected` data.
    var ledger = DeliveryLedger()
    /// On a multi-campaign stream, one ledger per campaign after the first (ids are ordered within a
    /// campaign only); `ledger` serves the first.
    var otherCampaignLedgers: [DeliveryLedger] = []

    private unowned let loop: ClientLoop
    private unowned let delegate: SSEClientDelegate
    private var fd: Int32 = -1
    private var token = -1
    private let request: [UInt8]
    private var requestSent = 0
    private var headParser = ResponseHeadParser()
    private var errorHead: ResponseHead?
    private var errorBody: BodyReader?
    private var chunked: ChunkedDecoder?
    private var parser = SSEParser()

    /// The `retry:` delay this connection's server set, nil until it sent one (a reconnecting client honours
    /// it). Updated after each read is parsed, so a delegate reads it when the stream ends, not mid-parse.
    private(set) var retryMilliseconds: Int?

    /// Starts connecting to `address` (from `source` when given); `request` is the shared GET bytes.
    init(index: Int, loop: ClientLoop, delegate: SSEClientDelegate, request: [UInt8],
         address: ServerAddress, source: String?) throws {
        self.index = index
        self.loop = loop
        self.delegate = delegate
        self.request = request
        fd = try address.connect(from: source)
        // On loopback the handshake is over when `connect` returns, so the request goes out at once and
        // the socket is watched for input only: no wake-up for writability, no `SO_ERROR` query. Elsewhere
        // (or if the send finds the connection still opening) it waits for writability as usual. The
        // request is one small write, so Nagle's algorithm never holds it back: no `TCP_NODELAY` needed.
        if case .failed(let code) = sendRequest(), code != ENOTCONN {
            Socket.close(fd)
            throw ConnectionFailure.connect(code)
        }
        if requestSent == request.count { phase = .awaitingHead }
        do {
            token = try loop.register(fd, handler: self,
                                      events: phase == .connecting ? ClientLoop.connectionEvents : ClientLoop.inputEvents)
        } catch {
            Socket.close(fd)
            throw error
        }
    }

    func handleEvents(_ events: UInt32) {
        if phase == .connecting {
            let code = Socket.pendingError(fd)
            if code != 0 { return end(.connect(code)) }
            if events & (ClientLoop.writable | ClientLoop.failed) == 0 { return }
            phase = .awaitingHead
        }
        if requestSent < request.count && events & ClientLoop.writable != 0, case .failed(let code) = sendRequest() {
            return end(.io(code))
        }
        if events & (ClientLoop.readable | ClientLoop.failed) != 0 {
            readAll(untilEnd: events & (ClientLoop.peerClosed | ClientLoop.failed) != 0)
        }
    }

    /// Closes the connection without telling the delegate.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        loop.deregister(fd, token: token)
        Socket.close(fd)
        fd = -1
    }

    /// Sends what is left of the request; the caller decides what a failure means.
    @discardableResult
    private func sendRequest() -> IOResult {
        let result = request.withUnsafeBytes { Socket.send(fd, UnsafeRawBufferPointer(rebasing: $0[requestSent...])) }
        if case .bytes(let count) = result { requestSent += count }
        return result
    }

    /// Reads until the socket is drained. A read that comes back short has emptied it (edge-triggered
    /// epoll reports the next arrival anew), so the `EAGAIN` read is skipped, halving the reads per
    /// delivery, unless the peer's end of input is pending and must be read to be seen.
    private func readAll(untilEnd: Bool) {
        while phase != .closed {
            let buffer = loop.readBuffer
            switch Socket.read(fd, into: buffer) {
            case .bytes(let count):
                consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), at: Clock.now())
                if count < buffer.count && !untilEnd { return }
            case .wouldBlock:
                return
            case .endOfFile:
                if phase == .readingErrorBody, let head = errorHead, let body = errorBody, body.endsAtClose {
                    return end(.status(head, body: String(decoding: body.body, as: UTF8.self)))
                }
                return end(.closed(afterHead: phase == .streaming))
            case .failed(let code):
                return end(.io(code))
            }
        }
    }

    private func consume(_ input: UnsafeRawBufferPointer, at arrival: UInt64) {
        var bytes = input
        do {
            if phase == .awaitingHead {
                guard let (head, used) = try headParser.feed(bytes) else { return }
                bytes = UnsafeRawBufferPointer(rebasing: bytes[used...])
                guard head.status == 200 else {
                    errorHead = head
                    errorBody = BodyReader(head: head)
                    phase = .readingErrorBody
                    return try consumeErrorBody(bytes)
                }
                guard head.value("content-type")?.hasPrefix("text/event-stream") == true else {
                    return end(.malformed("the stream answered 200 with Content-Type \(head.value("content-type") ?? "none")"))
                }
                if head.isChunked { chunked = ChunkedDecoder() }
                phase = .streaming
            }
            if phase == .readingErrorBody { return try consumeErrorBody(bytes) }
            if phase != .streaming || bytes.isEmpty { return }
            if chunked != nil {
                var decoder = chunked!
                _ = try decoder.decode(bytes) { piece in parse(piece, at: arrival) }
                chunked = decoder
                if decoder.isFinished { end(.closed(afterHead: true)) }
            } else {
                parse(bytes, at: arrival)
            }
        } catch {
            end(.malformed("\(error)"))
        }
    }

    private func parse(_ bytes: UnsafeRawBufferPointer, at arrival: UInt64) {
        guard phase == .streaming else { return }
        parser.feed(bytes) { event in
            if phase == .streaming { delegate.sseClient(self, didReceive: event, at: arrival) }
        }
        retryMilliseconds = parser.retryMilliseconds
    }

    private func consumeErrorBody(_ bytes: UnsafeRawBufferPointer) throws {
        guard var reader = errorBody, let head = errorHead else { return }
        _ = try reader.feed(bytes)
        errorBody = reader
        if reader.isComplete { end(.status(head, body: String(decoding: reader.body, as: UTF8.self))) }
    }

    private func end(_ failure: ConnectionFailure) {
        guard phase != .closed else { return }
        close()
        delegate.sseClient(self, didEndWith: failure)
    }
}
