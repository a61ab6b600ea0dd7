@testable import HTTP
import Testing

/// Feeds `chunks` one after another and collects what the parser produced.
func parseAll(_ chunks: [[UInt8]], limits: HTTPParser.Limits = serverDefaults().limits) -> [ParsedItem] {
    var parser = HTTPParser(limits: limits)
    var items: [ParsedItem] = []
    for chunk in chunks {
        parser.append(chunk)
        loop: while true {
            switch parser.next() {
            case .needMoreData: break loop
            case .expectContinue: items.append(.continue)
            case .request(let request): items.append(.request(Summary(request)))
            case .error(let error):
                items.append(.error(error.status.code))
                return items
            }
        }
    }
    return items
}

enum ParsedItem: Equatable {
    case request(Summary)
    case `continue`
    case error(Int)
}

struct Summary: Equatable {
    let method: String
    let target: String
    let segments: [String]
    let query: [String]
    let headers: [String]
    let body: [UInt8]
    let version: String

    init(_ request: HTTPRequest) {
        method = request.method
        target = request.target
        segments = request.pathSegments
        query = request.query.map { "\($0.name)=\($0.value)" }
        headers = request.headers.map { "\($0.name): \($0.value)" }
        body = request.body
        version = "\(request.version.major).\(request.version.minor)"
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct HTTPParserTests {
    @Test func parsesASimpleGet() throws {
        let items = parseAll([bytes("GET /api/campaigns/a%20b/tasks?x=1&y=two+words&z=%C3%A9 HTTP/1.1\r\nHost: example\r\nX-Thing:  spaced value \t\r\n\r\n")])
        guard case .request(let request) = items.first else { Issue.record("no request: \(items)"); return }
        #expect(request.method == "GET")
        #expect(request.segments == ["api", "campaigns", "a b", "tasks"])
        #expect(request.query == ["x=1", "y=two words", "z=é"])
        #expect(request.headers == ["Host: example", "X-Thing: spaced value"])
        #expect(request.version == "1.1")
    }

    @Test func headersAreCaseInsensitive() throws {
        var parser = HTTPParser(limits: serverDefaults().limits)
        parser.append(bytes("GET / HTTP/1.1\r\nhOsT: a\r\ncontent-TYPE: text/plain\r\n\r\n"))
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.headers["Content-Type"] == "text/plain")
        #expect(request.headers["HOST"] == "a")
    }

    @Test func contentLengthBody() {
        let items = parseAll([bytes("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")])
        guard case .request(let request) = items.first else { Issue.record("\(items)"); return }
        #expect(request.body == bytes("hello"))
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() {
        let raw = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n"
        let items = parseAll([bytes(raw)])
        guard case .request(let request) = items.first else { Issue.record("\(items)"); return }
        #expect(request.body == bytes("hello world"))
    }

    /// Large bodies are read into a buffer of their own and handed over as it: whatever the pieces they
    /// arrive in, the body is exact and what follows it is the next request.
    @Test(arguments: [1, 1000, 65_536, 300_000])
    func largeBodiesArriveWholeWhateverThePieces(pieceSize: Int) {
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let raw = bytes("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.count)\r\n\r\n") + body
            + bytes("GET /after HTTP/1.1\r\nHost: h\r\n\r\n")
        let pieces = stride(from: 0, to: raw.count, by: pieceSize).map { Array(raw[$0..<min($0 + pieceSize, raw.count)]) }
        let requests = parseAll(pieces).compactMap { item -> Summary? in
            if case .request(let request) = item { return request }
            return nil
        }
        #expect(requests.map(\.target) == ["/big", "/after"])
        #expect(requests.first?.body == body)
    }

    @Test func withALowLargeBodyThresholdPipelinedBodiesComeOutTheSameInAnyPieces() {
        var limits = serverDefaults().limits
        limits.largeBodyBytes = 4
        let raw = bytes("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\ndefgPOST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789GET /d HTTP/1.1\r\nHost: h\r\n\r\n")
        let whole = parseAll([raw], limits: limits)
        #expect(whole.count == 4)
        for pieceSize in [1, 2, 5, 7, 40] {
            let pieces = stride(from: 0, to: raw.count, by: pieceSize).map { Array(raw[$0..<min($0 + pieceSize, raw.count)]) }
            #expect(parseAll(pieces, limits: limits) == whole)
        }
    }

    @Test func aLargeBodyThatEndsTheBufferLeavesTheParserReadyForTheNext() {
        var parser = HTTPParser(limits: serverDefaults().limits)
        let body = [UInt8](repeating: UInt8(ascii: "b"), count: serverDefaults().limits.largeBodyBytes)
        parser.append(bytes("GET /first HTTP/1.1\r\nHost: h\r\n\r\nPOST /big HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.count)\r\n\r\n") + body)
        guard case .request(let first) = parser.next(), case .request(let big) = parser.next() else { Issue.record("no requests"); return }
        #expect(first.target == "/first")
        #expect(big.body == body)
        #expect(parser.bufferedByteCount == 0)
        guard case .needMoreData = parser.next() else { Issue.record("expected to wait for more"); return }
        parser.append(bytes("GET /next HTTP/1.1\r\nHost: h\r\n\r\n"))
        guard case .request(let next) = parser.next() else { Issue.record("no request after the body"); return }
        #expect(next.target == "/next")
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let raw = "GET /one HTTP/1.1\r\nHost: h\r\n\r\nPOST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: h\r\n\r\n"
        let targets = parseAll([bytes(raw)]).compactMap { item -> String? in
            if case .request(let request) = item { return request.target }
            return nil
        }
        #expect(targets == ["/one", "/two", "/three"])
    }

    @Test func http10RequestsNeedNoHost() {
        let items = parseAll([bytes("GET /old HTTP/1.0\r\n\r\n")])
        guard case .request(let request) = items.first else { Issue.record("\(items)"); return }
        #expect(request.version == "1.0")
    }

    @Test func leadingEmptyLinesAreIgnored() {
        let items = parseAll([bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")])
        #expect(items.count == 1)
        if case .request = items.first {} else { Issue.record("\(items)") }
    }

    @Test func absoluteFormTargetsUseTheirPath() {
        let items = parseAll([bytes("GET http://example.com/api/health?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")])
        guard case .request(let request) = items.first else { Issue.record("\(items)"); return }
        #expect(request.segments == ["api", "health"])
        #expect(request.query == ["x=1"])
    }

    @Test func expectContinueIsAnnouncedOnceBeforeTheBody() {
        var parser = HTTPParser(limits: serverDefaults().limits)
        parser.append(bytes("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"))
        guard case .expectContinue = parser.next() else { Issue.record("expected 100-continue"); return }
        guard case .needMoreData = parser.next() else { Issue.record("expected to wait"); return }
        parser.append(bytes("abc"))
        guard case .request(let request) = parser.next() else { Issue.record("expected the request"); return }
        #expect(request.body == bytes("abc"))
    }

    @Test func memoryIsReleasedWhenIdle() {
        var parser = HTTPParser(limits: serverDefaults().limits)
        parser.append(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        guard case .request = parser.next() else { Issue.record("no request"); return }
        parser.releaseMemoryIfIdle()
        #expect(parser.bufferedByteCount == 0)
    }

    /// Every sample, split into two pieces at every byte boundary, and fed one byte at a time,
    /// yields exactly what it yields whole.
    @Test(arguments: [
        "GET /a/b%2Fc?q=1 HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
        "POST /tasks HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"title\":\"x\"}",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nT: v\r\n\r\n",
        "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "\r\nGET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "PUT /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
        "GET / HTTP/1.1\nHost: h\n\n",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ])
    func splittingAnywhereChangesNothing(sample: String) {
        let whole = bytes(sample)
        let expected = parseAll([whole]).filter { $0 != .continue }
        #expect(!expected.isEmpty)
        for split in 0...whole.count {
            let pieces = [Array(whole[0..<split]), Array(whole[split...])]
            let got = parseAll(pieces).filter { $0 != .continue }
            #expect(got == expected, "split at \(split)")
        }
        let byteByByte = parseAll(whole.map { [$0] }).filter { $0 != .continue }
        #expect(byteByByte == expected)
    }

    @Test(arguments: [
        ("both lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400),
        ("bad chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400),
        ("chunk size overflow", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400),
        ("chunk without CRLF", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY", 400),
        ("negative length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
        ("non-numeric length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 400),
        ("conflicting lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        ("bare LF", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400),
        ("bare CR", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400),
        ("obsolete folding", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400),
        ("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
        ("missing host", "GET / HTTP/1.1\r\n\r\n", 400),
        ("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("junk request line", "HELLO\r\n\r\n", 400),
        ("bad method", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("bad percent-encoding", "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("dot segment", "GET /api/../etc HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("control in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{01}b\r\n\r\n", 400),
        ("HTTP/2", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        ("unknown coding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("chunked not last", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        ("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("odd expectation", "GET / HTTP/1.1\r\nHost: h\r\nExpect: tea\r\n\r\n", 417),
    ])
    func malformedInputIsRejected(name: String, raw: String, status: Int) {
        let items = parseAll([bytes(raw)])
        #expect(items.last == .error(status), "\(name): \(items)")
    }

    @Test func longTargetIs414EvenBeforeTheLineEnds() {
        let target = "/" + String(repeating: "a", count: 9000)
        #expect(parseAll([bytes("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")]).last == .error(414))
        #expect(parseAll([bytes("GET \(target)")]).last == .error(414))
    }

    @Test func largeHeaderSectionIs431() {
        let big = "X-Big: " + String(repeating: "b", count: 17 * 1024) + "\r\n"
        #expect(parseAll([bytes("GET / HTTP/1.1\r\nHost: h\r\n\(big)\r\n")]).last == .error(431))
        #expect(parseAll([bytes("GET / HTTP/1.1\r\nHost: h\r\n\(big)")]).last == .error(431))
        let many = (0..<101).map { "X-\($0): v\r\n" }.joined()
        #expect(parseAll([bytes("GET / HTTP/1.1\r\nHost: h\r\n\(many)\r\n")]).last == .error(431))
    }

    @Test func bodiesOverTheLimitAre413() {
        let limits = HTTPParser.Limits(maximumBodyBytes: 10)
        #expect(parseAll([bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n")], limits: limits).last == .error(413))
        #expect(parseAll([bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n")], limits: limits).last == .error(413))
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n"
        #expect(parseAll([bytes(chunked)], limits: limits).last == .error(413))
    }

    @Test func afterAnErrorTheParserStaysFailed() {
        var parser = HTTPParser(limits: serverDefaults().limits)
        parser.append(bytes("GET / HTTP/1.1\nHost: h\n\n"))
        guard case .error = parser.next() else { Issue.record("expected an error"); return }
        parser.append(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        guard case .error = parser.next() else { Issue.record("a failed parser must not recover"); return }
    }
}
