import CLinux
import Glibc
import Synchronization

/// Random bytes from the kernel's generator (getrandom(2), the same source as
/// `SystemRandomNumberGenerator`), drawn 4 KiB at a time: one system call per 256 ids instead of two
/// per id, which mattered when thousands of SSE clients each got a client id and a request id at once.
/// Bytes handed out are never handed out again.
final class RandomPool: Sendable {
    static let shared = RandomPool()

    private static let size = 4096

    private struct State {
        var bytes = [UInt8](repeating: 0, count: RandomPool.size)
        var offset = RandomPool.size  // empty: filled on first use
    }

    private let state = Mutex(State())

    /// 16 fresh random bytes as two 64-bit words.
    func next128() -> (UInt64, UInt64) {
        state.withLock { state -> (UInt64, UInt64) in
            if state.offset + 16 > Self.size {
                state.bytes.withUnsafeMutableBytes { Self.fill($0) }
                state.offset = 0
            }
            let words = state.bytes.withUnsafeBytes { raw in
                (raw.loadUnaligned(fromByteOffset: state.offset, as: UInt64.self),
                 raw.loadUnaligned(fromByteOffset: state.offset + 8, as: UInt64.self))
            }
            state.offset += 16
            return words
        }
    }

    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < buffer.count {
            let count = getrandom(buffer.baseAddress! + filled, buffer.count - filled, 0)
            if count > 0 {
                filled += count
            } else if errno != EINTR {
                // getrandom cannot fail on Linux ≥ 3.17 once the pool is seeded; fall back to the stdlib.
                var generator = SystemRandomNumberGenerator()
                while filled < buffer.count {
                    buffer[filled] = UInt8(truncatingIfNeeded: generator.next() as UInt64)
                    filled += 1
                }
            }
        }
    }
}
