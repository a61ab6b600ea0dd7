import CLibPQ
import Glibc

extension PostgresConnection {
    /// Whether the session is open and idle, after taking in whatever the server sent while
    /// nobody was reading (a shutdown's `FATAL` and end-of-stream, say). Non-blocking.
    var isUsable: Bool {
        consumeAvailableInput() && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Reads everything the server has sent so far into libpq's buffers, without blocking.
    /// Returns false when the session is broken.
    ///
    /// `PQconsumeInput` does one `recv` and cannot tell "no more data" from "stopped early", and the
    /// event loop is edge-triggered: so read until the socket itself says `EAGAIN`, or an
    /// end-of-stream queued behind the last message would go unnoticed until the next write.
    func consumeAvailableInput() -> Bool {
        guard !isClosed, PQstatus(handle) == CONNECTION_OK else { return false }
        let fd = PQsocket(handle)
        guard fd >= 0 else { return false }
        // Each round consumes data or detects the end, so a few rounds always suffice; the bound
        // only protects against a misbehaving peer feeding us forever.
        for _ in 0..<1024 {
            var byte: UInt8 = 0
            let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
            if peeked < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return PQstatus(handle) == CONNECTION_OK }
            }
            // Data, end-of-stream or a socket error: let libpq read it and judge.
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether libpq already knows the session is broken.
    var isBroken: Bool { isClosed || PQstatus(handle) != CONNECTION_OK }

    /// Whether a transaction (or a failed one) is still open on the session.
    var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }
}
