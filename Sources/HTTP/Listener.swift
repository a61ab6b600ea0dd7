import Glibc
import Sockets

/// The listening socket's sink: accepts every pending connection on readability.
final class Listener: EventSink {
    /// Strong: the loop may deliver an accept after the last outside reference to the server is
    /// gone; the server drops its listener when it drains, which ends the cycle.
    let server: HTTPServer
    let fd: Int32
    private var loggedDescriptorShortage = false

    init(server: HTTPServer, fd: Int32) {
        self.server = server
        self.fd = fd
    }

    func handleEvents(_ events: UInt32) {
        acceptPending()
    }

    /// Connections accepted before the loop turns to the events already waiting.
    static let acceptsPerTurn = 64

    /// Accepts until the backlog is empty, `acceptsPerTurn` at a time: the rest are taken after the
    /// events already waiting, so a storm of new connections cannot hold up the open ones. Also called
    /// on every tick: after running out of file descriptors the edge-triggered listener would
    /// otherwise never be told again.
    func acceptPending() {
        for _ in 0..<Self.acceptsPerTurn {
            switch Socket.accept(fd) {
            case nil:
                return
            case .success(let client):
                loggedDescriptorShortage = false
                server.accepted(fd: client)
            case .failure(let error):
                if error.code == EMFILE || error.code == ENFILE || error.code == ENOBUFS || error.code == ENOMEM {
                    if !loggedDescriptorShortage {
                        server.logger.error("[HTTP] cannot accept: out of file descriptors; raise `ulimit -n` or lower MAX_CONNECTIONS", metadata: ["error": "\(error)"])
                        loggedDescriptorShortage = true
                    }
                    return
                }
                // ECONNABORTED and the like concern one client that already left.
            }
        }
        server.acceptContinuation.continueNextTurn { [server] in server.acceptMore() }
    }
}
