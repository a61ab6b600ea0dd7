// libFuzzer target for the incremental HTTP/1.1 request parser (Sources/HTTP/HTTPParser*.swift).
//
// Input layout: 3 control bytes, then the bytes a client would send.
//   byte 0: limits, 2 bits each (0 = smallest, 3 = the production default), so 413/414/431 are
//           reachable with inputs of a few dozen bytes:
//             bits 0-1 maximumTargetBytes  4 / 24 / 200 / 8192
//             bits 2-3 maximumHeaderBytes  16 / 64 / 512 / 16384
//             bits 4-5 maximumHeaderCount  0 / 2 / 8 / 100
//             bits 6-7 maximumBodyBytes    0 / 8 / 300 / 1 MiB
//   byte 1: split schedule: bits 0-2 largest piece (1 / 2 / 3 / 5 / 8 / 17 / 64 / 1000 bytes; a piece
//           may be empty), bit 3 calls releaseMemoryIfIdle() whenever the parser waits for data,
//           bits 4-7 are mixed into the seed; bit 4 also makes a body of 4 bytes or more "large"
//           (`Limits.largeBodyBytes`, 64 KiB in the server), so the path that reads a large body into
//           a buffer of its own size and hands that buffer over is reached with short inputs.
//   byte 2: seed of the generator that draws the piece sizes.
//
// The payload goes to one parser in those pieces, to another whole and, when short, to a third one
// byte at a time. Any broken invariant calls fatalError (rather than precondition, whose message -O
// drops), which libFuzzer reports as a crash and saves as a reproducer.

#if canImport(Glibc)
import Glibc  // getenv only
#endif

/// Limits chosen by the first control byte.
func fuzzLimits(_ byte: UInt8) -> HTTPParser.Limits {
    let targets = [4, 24, 200, 8 * 1024]
    let headerBytes = [16, 64, 512, 16 * 1024]
    let headerCounts = [0, 2, 8, 100]
    let bodies = [0, 8, 300, 1024 * 1024]
    return HTTPParser.Limits(
        maximumTargetBytes: targets[Int(byte & 3)], maximumHeaderBytes: headerBytes[Int(byte >> 2 & 3)],
        maximumHeaderCount: headerCounts[Int(byte >> 4 & 3)], maximumBodyBytes: bodies[Int(byte >> 6 & 3)])
}

/// What one `next()` produced, reduced to what must not depend on how the bytes arrived.
/// `.expectContinue` is left out on purpose: it is announced only when the head arrived without any
/// body bytes after it, which does depend on the split (checked separately in `feed`).
enum Outcome: Equatable, CustomStringConvertible {
    case request(RequestSummary)
    case error(Int)

    var description: String {
        switch self {
        case .request(let request): "request(\(request))"
        case .error(let status): "error(\(status))"
        }
    }
}

/// Every field of an `HTTPRequest` in comparable form (HTTPRequest holds tuples, so is not Equatable).
struct RequestSummary: Equatable, CustomStringConvertible {
    let method: String
    let target: String
    let path: String
    let pathSegments: [String]
    let queryNames: [String]
    let queryValues: [String]
    let major: Int
    let minor: Int
    let headerNames: [String]
    let headerValues: [String]
    let body: [UInt8]

    init(_ request: HTTPRequest) {
        method = request.method
        target = request.target
        path = request.path
        pathSegments = request.pathSegments
        queryNames = request.query.map(\.name)
        queryValues = request.query.map(\.value)
        major = request.version.major
        minor = request.version.minor
        headerNames = request.headers.map(\.name)
        headerValues = request.headers.map(\.value)
        body = request.body
    }

    var description: String {
        "\(abbreviated(method)) \(abbreviated(target)) HTTP/\(major).\(minor), \(headerNames.count) headers \(abbreviated("\(Array(zip(headerNames, headerValues)))", 160)), body \(body.count) bytes"
    }
}

/// Long methods and targets shortened, so a crash message stays readable.
func abbreviated(_ text: String, _ limit: Int = 40) -> String {
    text.utf8.count <= limit ? text : "\(text.prefix(limit / 2))…(\(text.utf8.count) bytes)"
}

/// Statuses the parser may answer with (docs/API.md): anything else is a bug.
let allowedErrorStatuses: Set<Int> = [400, 408, 413, 414, 417, 431, 501, 505]

let fuzzTargetName = "HTTP parser"

/// Invariants every request must satisfy whatever the input was.
func checkRequest(_ request: HTTPRequest, limits: HTTPParser.Limits) {
    check(request.body.count <= limits.maximumBodyBytes,
        "body of \(request.body.count) bytes passed the limit of \(limits.maximumBodyBytes)")
    check(request.target.utf8.count <= limits.maximumTargetBytes,
        "target of \(request.target.utf8.count) bytes passed the limit of \(limits.maximumTargetBytes)")
    check(request.headers.count <= limits.maximumHeaderCount,
        "\(request.headers.count) header fields passed the limit of \(limits.maximumHeaderCount)")
    check(request.version == .http1_0 || request.version == .http1_1,
        "version \(request.version.major).\(request.version.minor) accepted")
    check(!request.method.isEmpty && request.method.utf8.allSatisfy(HTTPToken.isTokenCharacter),
        "method \(Array(request.method.utf8)) is not a token")
    check(request.target.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "target with a control, space or non-ASCII byte")
    check(!request.pathSegments.contains(".") && !request.pathSegments.contains(".."), "dot segment accepted")
    if request.version == .http1_1 {
        check(request.headers.values("Host").count == 1, "HTTP/1.1 request without exactly one Host")
    }
    // The framing rules that keep request smuggling out (RFC 9112 §6.1, §6.3).
    let transferEncodings = request.headers.values("Transfer-Encoding")
    let contentLengths = request.headers.values("Content-Length")
    check(transferEncodings.isEmpty || contentLengths.isEmpty, "request with both Transfer-Encoding and Content-Length")
    check(transferEncodings.isEmpty || request.version == .http1_1, "Transfer-Encoding accepted in HTTP/1.0")
    if !contentLengths.isEmpty {
        for item in contentLengths.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let digits = item.trimmingOptionalWhitespace()
            check(Int(digits) == request.body.count,
                "Content-Length \(contentLengths) but a body of \(request.body.count) bytes")
        }
    }
    if transferEncodings.isEmpty && contentLengths.isEmpty {
        check(request.body.isEmpty, "body without Content-Length or Transfer-Encoding")
    }
    for field in request.headers {
        check(!field.name.isEmpty && field.name.utf8.allSatisfy(HTTPToken.isTokenCharacter), "header name \(Array(field.name.utf8)) is not a token")
        check(field.value.utf8.allSatisfy { ($0 >= 0x20 || $0 == 0x09) && $0 != 0x7F }, "control character in a header value")
        check(field.value.utf8.first != 0x20 && field.value.utf8.first != 0x09
            && field.value.utf8.last != 0x20 && field.value.utf8.last != 0x09, "header value not trimmed")
    }
}

/// What a run produced, and where the parser stood when the input ran out.
struct Run {
    var outcomes: [Outcome] = []
    /// Bytes still buffered and whether a body was being read at the end (nil after an error).
    var pending: (buffered: Int, readingBody: Bool)?
}

/// The most bytes a waiting parser may hold before the next append: a head is cut off at the target
/// limit + 64 without a line end and at the header limit + 4 after it, a chunk-size line at 4096 bytes,
/// a trailer section at the header limit, and a fixed body is held until it is complete.
func bufferBound(_ limits: HTTPParser.Limits) -> Int {
    max(limits.maximumTargetBytes + HTTPParser.requestLineOverhead + limits.maximumHeaderBytes + 4,
        limits.maximumBodyBytes, HTTPParser.maximumChunkLineBytes, limits.maximumHeaderBytes)
}

/// Feeds `payload` to a fresh parser in the pieces `pieceEnds` marks, calling `next()` until it waits.
func feed(
    _ payload: UnsafeRawBufferPointer, pieceEnds: [Int], limits: HTTPParser.Limits, releaseWhenIdle: Bool
) -> Run {
    var parser = HTTPParser(limits: limits)
    var run = Run()
    var failed = false
    var continuePending = false
    var start = 0
    for end in pieceEnds {
        parser.append(UnsafeRawBufferPointer(rebasing: payload[start..<end]))
        let pieceSize = end - start
        start = end
        if failed {
            // A failed parser must never come back, whatever arrives after the error.
            guard case .error = parser.next() else { fatalError("HTTP parser invariant broken: a result other than an error after an error") }
            continue
        }
        // Each request consumes bytes, so a piece cannot yield more results than the input has bytes.
        var steps = 0
        loop: while true {
            steps += 1
            check(steps <= payload.count + 3, "next() keeps producing results without consuming input")
            switch parser.next() {
            case .needMoreData:
                // Asking again without new bytes must not change anything.
                guard case .needMoreData = parser.next() else { fatalError("HTTP parser invariant broken: needMoreData is not stable") }
                // What a slow client can make the server hold is bounded by the limits (the last piece
                // may overshoot: the parser only sees it once it has been appended).
                check(parser.bufferedByteCount <= bufferBound(limits) + pieceSize,
                    "\(parser.bufferedByteCount) bytes buffered while waiting, bound \(bufferBound(limits)) + piece \(pieceSize)")
                if releaseWhenIdle {
                    let buffered = parser.bufferedByteCount
                    parser.releaseMemoryIfIdle()
                    check(parser.bufferedByteCount == buffered, "releaseMemoryIfIdle dropped buffered bytes")
                }
                break loop
            case .expectContinue:
                check(!continuePending, "100-continue announced twice for one request")
                continuePending = true
            case .request(let request):
                checkRequest(request, limits: limits)
                if continuePending {
                    check(request.version == .http1_1
                        && request.headers["Expect"]?.trimmingOptionalWhitespace().lowercased() == "100-continue",
                        "100-continue announced for a request that did not ask for it")
                }
                continuePending = false
                run.outcomes.append(.request(RequestSummary(request)))
            case .error(let error):
                check(allowedErrorStatuses.contains(error.status.code), "error status \(error.status.code) (\(error))")
                run.outcomes.append(.error(error.status.code))
                failed = true
                break loop
            }
        }
    }
    if !failed { run.pending = (parser.bufferedByteCount, parser.isReadingBody) }
    return run
}

/// A small xorshift generator: the same control bytes always give the same schedule.
struct SplitGenerator {
    var state: UInt32

    mutating func next() -> UInt32 {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return state
    }
}

func pieceEnds(count: Int, mode: UInt8, seed: UInt8) -> [Int] {
    let largest: [UInt32] = [1, 2, 3, 5, 8, 17, 64, 1000]
    let maximum = largest[Int(mode & 7)]
    var generator = SplitGenerator(state: (UInt32(mode >> 4) << 8 | UInt32(seed)) &* 2_654_435_761 | 1)
    var ends: [Int] = []
    var position = 0
    while position < count {
        // Sizes 0...maximum: an empty append must be harmless too.
        position = min(count, position + Int(generator.next() % (maximum + 1)))
        ends.append(position)
    }
    if ends.isEmpty { ends.append(0) }
    return ends
}

func describeDifference(_ name: String, _ got: [Outcome], _ expected: [Outcome]) -> String {
    let index = zip(got, expected).prefix { $0 == $1 }.count
    let gotItem = index < got.count ? got[index].description : "nothing"
    let expectedItem = index < expected.count ? expected[index].description : "nothing"
    return "\(name) run differs from the whole run at result \(index): \(gotItem) instead of \(expectedItem)"
}

/// Divergences already reported (Fuzz/README.md, "Findings"; inputs in Fuzz/findings/) that
/// `FUZZ_HTTP_TOLERATE` (a comma-separated list of these names) lets a run get past, so a long run can
/// look for other bugs with every other invariant still on. Unset, every divergence is a crash.
enum KnownDivergence: String, CaseIterable {
    /// The piecewise run answered 414 or 431 from a head (or trailer section) it had only partly seen,
    /// where the whole run, seeing more of it, answered a different error for the same request, or is
    /// still waiting for the rest of the head (its request line ended, so the early check no longer applies).
    case earlyLimitStatus = "early-limit-status"
    /// The piecewise run answered 414 to a request line it had only partly seen and that was longer than
    /// the target limit + 64 (its CR included), where the whole run accepted the same line because its
    /// target is within the limit.
    case longRequestLine = "long-request-line"
    /// The piecewise run answered 431 to a chunked request whose trailer section the whole run accepted:
    /// with trailer lines adding up to exactly the limit, the CR of the closing empty line, arriving
    /// without its LF, is counted against the limit, while the complete empty line is not.
    case trailerLimitBoundary = "trailer-limit-boundary"

    func matches(got: [Outcome], expected: [Outcome], limits: HTTPParser.Limits) -> Bool {
        let index = zip(got, expected).prefix { $0 == $1 }.count
        guard index == got.count - 1, case .error(let early) = got[index] else { return false }
        guard index < expected.count else { return self == .earlyLimitStatus && (early == 414 || early == 431) }
        switch (self, expected[index]) {
        case (.earlyLimitStatus, .error):
            return index == expected.count - 1 && (early == 414 || early == 431)
        case (.longRequestLine, .request(let request)):
            // "method SP target SP HTTP/x.y" is method + target + 10 bytes long; its CR, arrived without
            // the LF yet, counts too.
            let lineLength = request.method.utf8.count + request.target.utf8.count + 10
            return early == 414 && lineLength + 1 > limits.maximumTargetBytes + HTTPParser.requestLineOverhead
        case (.trailerLimitBoundary, .request(let request)):
            return early == 431 && request.headerNames.contains { name in
                HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding")
            }
        default:
            return false
        }
    }
}

let toleratedDivergences: [KnownDivergence] = {
    guard let raw = getenv("FUZZ_HTTP_TOLERATE") else { return [] }
    return String(cString: raw).split(separator: ",").map { name in
        guard let known = KnownDivergence(rawValue: String(name)) else {
            fatalError("FUZZ_HTTP_TOLERATE: unknown name \(name); known: \(KnownDivergence.allCases.map(\.rawValue))")
        }
        return known
    }
}()

/// Crashes unless the piecewise run matched the whole run or differs from it only in a tolerated way.
func checkSame(_ name: String, _ got: Run, _ expected: Run, limits: HTTPParser.Limits) {
    if got.outcomes != expected.outcomes {
        if toleratedDivergences.contains(where: { $0.matches(got: got.outcomes, expected: expected.outcomes, limits: limits) }) {
            return
        }
        fatalError("HTTP parser invariant broken: " + describeDifference(name, got.outcomes, expected.outcomes))
    }
    // Same bytes in, same bytes left over: a connection must not depend on how its reads were cut.
    if let left = got.pending, let right = expected.pending {
        check(left.buffered == right.buffered && left.readingBody == right.readingBody,
            "\(name) run ends waiting with \(left), the whole run with \(right)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 3 else { return 0 }
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let mode = input[1]
    var limits = fuzzLimits(input[0])
    if mode & 16 != 0 { limits.largeBodyBytes = 4 }
    let payload = UnsafeRawBufferPointer(rebasing: input[3...])
    let releaseWhenIdle = mode & 8 != 0

    let whole = feed(payload, pieceEnds: [payload.count], limits: limits, releaseWhenIdle: releaseWhenIdle)
    let ends = pieceEnds(count: payload.count, mode: mode, seed: input[2])
    let split = feed(payload, pieceEnds: ends, limits: limits, releaseWhenIdle: releaseWhenIdle)
    if printOutcomes {
        report("limits: \(limits)")
        report("whole: \(whole.outcomes), then waiting with \(whole.pending.map { "\($0)" } ?? "nothing (failed)")")
        report("split \(ends): \(split.outcomes)")
    }
    checkSame("split", split, whole, limits: limits)
    if payload.count <= 1024 {
        let byteByByte = feed(
            payload, pieceEnds: Array(1...max(1, payload.count)).map { min($0, payload.count) }, limits: limits,
            releaseWhenIdle: !releaseWhenIdle)
        if printOutcomes { report("byte by byte: \(byteByByte.outcomes)") }
        checkSame("byte-by-byte", byteByByte, whole, limits: limits)
    }
    return 0
}
