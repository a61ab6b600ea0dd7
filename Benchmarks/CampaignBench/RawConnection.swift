import CLinux
import Glibc
import Sockets

/// Told what happens on a `RawConnection`, on the loop's thread.
protocol RawConnectionOwner: AnyObject {
    /// The connection is open and its socket can take bytes.
    func rawConnectionIsWritable(_ connection: RawConnection)
    /// The server ended the connection (EOF, reset, hang-up); it is already closed.
    func rawConnectionEnded(_ connection: RawConnection)
}

/// A bare TCP connection for the attacks that write bytes no HTTP client would: it connects, says when
/// it may be written to and when the server ended it. Input is read and dropped when `readsInput`, and
/// never read otherwise (the pipeline flood); nothing it receives is kept.
final class RawConnection: PollHandler {
    /// The owner's slot for this connection.
    let index: Int
    private(set) var isOpen = true
    private unowned let loop: ClientLoop
    private unowned let owner: RawConnectionOwner
    private let readsInput: Bool
    private var fd: Int32 = -1
    private var token = -1

    /// Starts connecting; throws `ConnectionFailure.connect` when the connect fails at once.
    init(index: Int, loop: ClientLoop, owner: RawConnectionOwner, address: ServerAddress, source: String?,
         readsInput: Bool) throws {
        self.index = index
        self.loop = loop
        self.owner = owner
        self.readsInput = readsInput
        fd = try address.connect(from: source)
        // Without EPOLLIN a connection that is never read wakes the loop only to write or to end.
        let input: UInt32 = readsInput ? EPOLLIN.rawValue : 0
        do {
            token = try loop.register(fd, handler: self,
                                      events: input | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue)
        } catch {
            Socket.close(fd)
            throw error
        }
    }

    /// Writes what the socket takes of `bytes`; a failure means the server ended the connection.
    func send(_ bytes: UnsafeRawBufferPointer) -> IOResult {
        guard isOpen else { return .failed(EBADF) }
        return Socket.send(fd, bytes)
    }

    /// Closes without telling the owner.
    func close() {
        guard isOpen else { return }
        isOpen = false
        loop.deregister(fd, token: token)
        Socket.close(fd)
        fd = -1
    }

    func handleEvents(_ events: UInt32) {
        guard isOpen else { return }
        if events & (ClientLoop.failed | ClientLoop.peerClosed) != 0 {
            if readsInput { drain() }
            return end()
        }
        if readsInput && events & ClientLoop.readable != 0 { drain() }
        if isOpen && events & ClientLoop.writable != 0 { owner.rawConnectionIsWritable(self) }
    }

    /// Reads and drops what has arrived; the end of input ends the connection.
    private func drain() {
        while isOpen {
            switch Socket.read(fd, into: loop.readBuffer) {
            case .bytes: continue
            case .wouldBlock: return
            case .endOfFile, .failed: return end()
            }
        }
    }

    private func end() {
        guard isOpen else { return }
        close()
        owner.rawConnectionEnded(self)
    }
}
