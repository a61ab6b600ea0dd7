import Sockets

/// Bytes accepted for a socket that it could not take yet, sent in order when it becomes writable.
///
/// It keeps the writers' arrays themselves, not copies: a broadcast's one encoded batch, queued for
/// a thousand slow clients, is one buffer referenced a thousand times. Loop thread only.
struct OutboundBuffer {
    private var chunks: [[UInt8]] = []
    /// The first chunk not wholly sent.
    private var head = 0
    /// Bytes of `chunks[head]` already sent.
    private var offset = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Queues `bytes` minus the first `alreadySent` of them (sent straight to the socket, which
    /// only happens while nothing else is queued).
    mutating func append(_ bytes: [UInt8], alreadySent: Int = 0) {
        guard bytes.count > alreadySent else { return }
        precondition(alreadySent == 0 || isEmpty, "bytes were sent past a queue")
        if isEmpty { offset = alreadySent }
        chunks.append(bytes)
        count += bytes.count - alreadySent
    }

    /// Sends as much as the socket takes, in order (several chunks per vectored send); returns how
    /// many bytes left and how it ended.
    mutating func flush(to fd: Int32) -> (sent: Int, outcome: HTTPConnectionStateMachine.FlushOutcome) {
        var sent = 0
        while head < chunks.count {
            let result = if head + 1 == chunks.count {
                chunks[head].withUnsafeBytes { raw in Socket.send(fd, UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            } else {
                Socket.send(fd, chunks: chunks[head...], skippingFirst: offset)
            }
            switch result {
            case .bytes(var moved):
                sent += moved
                count -= moved
                // Past the chunks the send took whole, into the one it stopped in.
                while moved > 0 {
                    let left = chunks[head].count - offset
                    if moved < left {
                        offset += moved
                        break
                    }
                    moved -= left
                    head += 1
                    offset = 0
                }
            case .wouldBlock:
                compact()
                return (sent, .pending)
            case .endOfFile, .failed:
                return (sent, .failed)
            }
        }
        // Give the memory back: an idle connection should hold none.
        self = OutboundBuffer()
        return (sent, .done)
    }

    /// Forgets sent chunks once they are most of the array, so a client that keeps a backlog
    /// does not keep every chunk it ever had.
    private mutating func compact() {
        guard head > 0 && head * 2 >= chunks.count else { return }
        chunks.removeFirst(head)
        head = 0
    }
}
