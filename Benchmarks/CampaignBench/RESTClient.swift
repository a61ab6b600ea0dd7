import Glibc
import Sockets

/// One keep-alive HTTP/1.1 connection that carries one request at a time, reconnecting when the
/// server has closed it.
final class RESTClient: PollHandler {
    /// A complete response.
    struct Response {
        let head: ResponseHead
        let body: [UInt8]
    }

    private struct Exchange {
        let request: [UInt8]
        var sent = 0
        var started = false
        let onWrite: (() -> Void)?
        let completion: (Result<Response, ConnectionFailure>) -> Void
        var head: ResponseHead?
        var body: BodyReader?
        /// Sent on a connection that was already open (and so may have been closed by the server meanwhile).
        var onReusedConnection: Bool
        var receivedAny = false
        var retried = false
    }

    unowned let loop: ClientLoop
    let address: ServerAddress
    private let source: String?
    private var fd: Int32 = -1
    private var token = -1
    private var connected = false
    private var headParser = ResponseHeadParser()
    private var exchange: Exchange?

    init(loop: ClientLoop, address: ServerAddress, source: String? = nil) {
        self.loop = loop
        self.address = address
        self.source = source
    }

    /// No request is in flight.
    var isIdle: Bool { exchange == nil }
    /// The TCP connection is established (pre-connecting keeps handshakes out of measured requests).
    var isConnected: Bool { connected }

    /// Opens the connection now if it is not open; completion of the handshake shows in `isConnected`.
    func open() throws {
        guard fd < 0 else { return }
        fd = try address.connect(from: source)
        Socket.setNoDelay(fd)
        connected = false
        headParser = ResponseHeadParser()
        do {
            token = try loop.register(fd, handler: self)
        } catch {
            Socket.close(fd)
            fd = -1
            throw error
        }
    }

    /// Sends `request`; `onWrite` runs just before its first byte is written, `completion` once answered.
    func send(_ request: [UInt8], onWrite: (() -> Void)? = nil,
              completion: @escaping (Result<Response, ConnectionFailure>) -> Void) {
        precondition(exchange == nil, "RESTClient carries one request at a time")
        exchange = Exchange(request: request, onWrite: onWrite, completion: completion, onReusedConnection: fd >= 0)
        do {
            try open()
        } catch let failure as ConnectionFailure {
            return finish(.failure(failure))
        } catch {
            return finish(.failure(.malformed("\(error)")))
        }
        if connected { write() }
    }

    func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd, token: token)
        Socket.close(fd)
        fd = -1
        connected = false
    }

    func handleEvents(_ events: UInt32) {
        guard fd >= 0 else { return }
        if !connected {
            let code = Socket.pendingError(fd)
            if code != 0 {
                close()
                return finish(.failure(.connect(code)))
            }
            if events & (ClientLoop.writable | ClientLoop.failed) == 0 { return }
            connected = true
        }
        if events & ClientLoop.writable != 0 { write() }
        if events & (ClientLoop.readable | ClientLoop.failed) != 0 { readAll() }
    }

    private func write() {
        guard var current = exchange, current.sent < current.request.count, fd >= 0 else { return }
        if !current.started {
            current.started = true
            current.onWrite?()
        }
        let result = current.request.withUnsafeBytes {
            Socket.send(fd, UnsafeRawBufferPointer(rebasing: $0[current.sent...]))
        }
        switch result {
        case .bytes(let count):
            current.sent += count
            exchange = current
        case .wouldBlock, .endOfFile:
            exchange = current  // the rest goes out on writability
        case .failed(let code):
            close()
            failOrRetry(.io(code))
        }
    }

    private func readAll() {
        while fd >= 0 {
            let buffer = loop.readBuffer
            switch Socket.read(fd, into: buffer) {
            case .bytes(let count):
                consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            case .wouldBlock:
                return
            case .endOfFile:
                close()
                if let current = exchange {
                    if let head = current.head, let body = current.body, body.endsAtClose {
                        finish(.success(Response(head: head, body: body.body)))
                    } else {
                        failOrRetry(.closed(afterHead: current.head != nil))
                    }
                }
                return
            case .failed(let code):
                close()
                if exchange != nil { failOrRetry(.io(code)) }
                return
            }
        }
    }

    private func consume(_ input: UnsafeRawBufferPointer) {
        guard var current = exchange else { return }  // bytes nobody asked for: ignore
        current.receivedAny = true
        exchange = current
        var bytes = input
        do {
            if current.head == nil {
                guard let (head, used) = try headParser.feed(bytes) else { return }
                if head.status == 100 {  // an interim answer: the real head follows
                    return consume(UnsafeRawBufferPointer(rebasing: bytes[used...]))
                }
                current.head = head
                current.body = BodyReader(head: head)
                bytes = UnsafeRawBufferPointer(rebasing: bytes[used...])
            }
            var body = current.body!
            _ = try body.feed(bytes)
            current.body = body
            exchange = current
            if body.isComplete, let head = current.head {
                if head.closesConnection { close() }
                finish(.success(Response(head: head, body: body.body)))
            }
        } catch {
            close()
            finish(.failure(.malformed("\(error)")))
        }
    }

    /// A server closes a keep-alive connection it kept idle too long (its idle or header timeout), and
    /// a request sent just then meets the close (EOF or a reset) without the server having read it. Such
    /// a request is sent once more on a new connection, as HTTP clients do; the tool's requests may be
    /// repeated (creates carry their own id, so a repeat answers 200 with the same task). Any other
    /// failure, or a second one, is reported.
    private func failOrRetry(_ failure: ConnectionFailure) {
        guard var current = exchange, current.onReusedConnection, !current.retried, !current.receivedAny else {
            return finish(.failure(failure))
        }
        current.retried = true
        current.onReusedConnection = false
        current.sent = 0
        current.started = false  // `onWrite` marks the time of the send that counts
        exchange = current
        close()
        do {
            try open()
        } catch let failure as ConnectionFailure {
            finish(.failure(failure))
        } catch {
            finish(.failure(.malformed("\(error)")))
        }
    }

    private func finish(_ result: Result<Response, ConnectionFailure>) {
        guard let current = exchange else { return }
        exchange = nil
        current.completion(result)
    }
}
