/// Removes `Transfer-Encoding: chunked` framing incrementally, handing out slices of the input.
struct ChunkedDecoder {
    private enum State {
        case size(UInt64, sawDigit: Bool, inExtension: Bool)
        case sizeLineFeed(UInt64)
        case data(UInt64)
        case dataCarriageReturn
        case dataLineFeed
        case trailer(lineLength: Int)
        case trailerLineFeed(lineLength: Int)
        case finished
    }

    private var state = State.size(0, sawDigit: false, inExtension: false)

    var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// Decodes `input`, calling `emit` with each run of payload bytes; returns how many bytes it used
    /// (less than all only once the last chunk and trailers are complete).
    mutating func decode(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Void) throws -> Int {
        var index = 0
        while index < input.count {
            let byte = input[index]
            switch state {
            case .size(let size, let sawDigit, let inExtension):
                if byte == 13 {
                    guard sawDigit else { throw BenchError("malformed chunk size in a chunked response") }
                    state = .sizeLineFeed(size)
                } else if inExtension {
                    break
                } else if byte == 59 {  // ';' starts a chunk extension, which we skip
                    state = .size(size, sawDigit: sawDigit, inExtension: true)
                } else if let digit = Self.hexValue(byte), size < (1 << 40) {
                    state = .size(size << 4 | UInt64(digit), sawDigit: true, inExtension: false)
                } else {
                    throw BenchError("malformed chunk size in a chunked response")
                }
                index += 1
            case .sizeLineFeed(let size):
                guard byte == 10 else { throw BenchError("malformed chunk size line in a chunked response") }
                state = size == 0 ? .trailer(lineLength: 0) : .data(size)
                index += 1
            case .data(let remaining):
                let take = min(Int(clamping: remaining), input.count - index)
                emit(UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                let left = remaining - UInt64(take)
                state = left == 0 ? .dataCarriageReturn : .data(left)
            case .dataCarriageReturn:
                guard byte == 13 else { throw BenchError("chunk not followed by CRLF in a chunked response") }
                state = .dataLineFeed
                index += 1
            case .dataLineFeed:
                guard byte == 10 else { throw BenchError("chunk not followed by CRLF in a chunked response") }
                state = .size(0, sawDigit: false, inExtension: false)
                index += 1
            case .trailer(let length):
                state = byte == 13 ? .trailerLineFeed(lineLength: length) : .trailer(lineLength: length + 1)
                index += 1
            case .trailerLineFeed(let length):
                guard byte == 10 else { throw BenchError("malformed trailer in a chunked response") }
                index += 1
                if length == 0 {
                    state = .finished
                    return index
                }
                state = .trailer(lineLength: 0)
            case .finished:
                return index
            }
        }
        return index
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
