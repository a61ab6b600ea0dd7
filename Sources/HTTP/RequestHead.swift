/// A parsed request line and header section, before the body.
struct RequestHead: Sendable {
    enum Framing: Sendable, Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    let line: RequestLine
    let headers: HTTPHeaders
    let framing: Framing
    let expectsContinue: Bool

    func request(body: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: line.method, target: line.target, path: line.path, pathSegments: line.pathSegments, query: line.query,
            version: line.version, headers: headers, body: body)
    }

    static func badRequest(_ message: String) -> HTTPError {
        HTTPError(.badRequest, message: message)
    }

    /// Parses a complete head (request line through the empty line, CRLFs already checked).
    static func parse(_ bytes: ArraySlice<UInt8>, limits: HTTPParser.Limits) -> Result<RequestHead, HTTPError> {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0D {
                lines.append(bytes[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        // The last two "lines" are the empty line ending the head.
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let requestLine = lines.first else { return .failure(badRequest("empty request")) }
        let fieldLines = lines.dropFirst()

        let line: RequestLine
        switch RequestLine.parse(requestLine, limits: limits) {
        case .success(let parsed): line = parsed
        case .failure(let error): return .failure(error)
        }
        guard fieldLines.count <= limits.maximumHeaderCount else {
            return .failure(HTTPError(.headerFieldsTooLarge, message: "more than \(limits.maximumHeaderCount) header fields"))
        }
        let headerBytes = fieldLines.reduce(0) { $0 + $1.count + 2 }
        guard headerBytes <= limits.maximumHeaderBytes else {
            return .failure(HTTPError(.headerFieldsTooLarge, message: "the header section is larger than \(limits.maximumHeaderBytes) bytes"))
        }

        var headers = HTTPHeaders()
        for field in fieldLines {
            switch parseField(field) {
            case .success(let pair): headers.add(pair.name, pair.value)
            case .failure(let error): return .failure(error)
            }
        }

        if line.version == .http1_1 {
            let hosts = headers.values("Host")
            guard hosts.count == 1 else { return .failure(badRequest(hosts.isEmpty ? "missing Host header" : "more than one Host header")) }
        }

        let framing: Framing
        switch framingOf(headers, version: line.version, limits: limits) {
        case .success(let value): framing = value
        case .failure(let error): return .failure(error)
        }

        var expectsContinue = false
        if let expectation = headers["Expect"] {
            guard expectation.trimmingOptionalWhitespace().lowercased() == "100-continue" else {
                return .failure(HTTPError(.expectationFailed, message: "only Expect: 100-continue is supported"))
            }
            expectsContinue = line.version == .http1_1 && framing != .none && framing != .contentLength(0)
        }

        return .success(RequestHead(line: line, headers: headers, framing: framing, expectsContinue: expectsContinue))
    }

    private static func parseField(_ line: ArraySlice<UInt8>) -> Result<(name: String, value: String), HTTPError> {
        guard let first = line.first else { return .failure(badRequest("empty header line")) }
        if first == 0x20 || first == 0x09 {
            return .failure(badRequest("obsolete line folding is not accepted"))
        }
        guard let colon = line.firstIndex(of: 0x3A) else { return .failure(badRequest("header line without a colon")) }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPToken.isTokenCharacter) else {
            return .failure(badRequest("invalid header name"))
        }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        for byte in value where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            return .failure(badRequest("control character in a header value"))
        }
        return .success((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }

    private static func framingOf(_ headers: HTTPHeaders, version: HTTPVersion, limits: HTTPParser.Limits) -> Result<Framing, HTTPError> {
        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else {
                return .failure(badRequest("both Content-Length and Transfer-Encoding"))
            }
            guard version == .http1_1 else { return .failure(badRequest("Transfer-Encoding in an HTTP/1.0 request")) }
            let codings = transferEncodings.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingOptionalWhitespace().lowercased() }
            guard codings.last == "chunked" else {
                return .failure(badRequest("chunked must be the final transfer coding"))
            }
            guard codings.filter({ $0 == "chunked" }).count == 1 else {
                return .failure(badRequest("chunked may be applied only once"))
            }
            guard codings.count == 1 else {
                return .failure(HTTPError(.notImplemented, message: "only the chunked transfer coding is supported"))
            }
            return .success(.chunked)
        }
        guard !contentLengths.isEmpty else { return .success(.none) }
        var length: Int? = nil
        for item in contentLengths.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let digits = item.trimmingOptionalWhitespace()
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return .failure(badRequest("invalid Content-Length"))
            }
            // More digits than any permitted body can have: too large, not malformed.
            let value = digits.count > 15 ? Int.max : Int(digits)!
            if let length, length != value { return .failure(badRequest("conflicting Content-Length values")) }
            length = value
        }
        guard let length else { return .failure(badRequest("invalid Content-Length")) }
        guard length <= limits.maximumBodyBytes else {
            return .failure(HTTPError(.contentTooLarge, message: "the body is larger than \(limits.maximumBodyBytes) bytes"))
        }
        return .success(.contentLength(length))
    }
}

/// RFC 9110 token characters (method names, header names).
enum HTTPToken {
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }
}
