/// Bytes accepted for a socket that it could not take yet, sent in order when it becomes writable.
struct OutboundBuffer {
    private var bytes: [UInt8] = []
    private var offset = 0

    var isEmpty: Bool { offset == bytes.count }
    var count: Int { bytes.count - offset }

    mutating func append(_ more: UnsafeRawBufferPointer) {
        if offset > 0 && offset * 2 >= bytes.count {
            bytes.removeFirst(offset)
            offset = 0
        }
        bytes.append(contentsOf: more)
    }

    /// Sends as much as the socket takes. Returns the failure, if any; `.wouldBlock` leaves the rest queued.
    mutating func flush(to fd: Int32) -> IOResultSummary {
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                Socket.send(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            switch result {
            case .bytes(let count): offset += count
            case .wouldBlock: return .pending
            case .endOfFile, .failed: return .failed
            }
        }
        // Give the memory back: an idle connection should hold none.
        bytes = []
        offset = 0
        return .done
    }

    enum IOResultSummary { case done, pending, failed }
}

import Sockets
