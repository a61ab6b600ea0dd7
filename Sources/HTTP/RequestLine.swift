/// `method SP request-target SP HTTP-version` (RFC 9112 §3), with the target decoded.
struct RequestLine: Sendable {
    let method: String
    let target: String
    let path: String
    let pathSegments: [String]
    let query: [(name: String, value: String)]
    let version: HTTPVersion

    static func parse(_ line: ArraySlice<UInt8>, limits: HTTPParser.Limits) -> Result<RequestLine, HTTPError> {
        // The same bound the incremental scan applies before the line is complete.
        guard line.count <= limits.maximumTargetBytes + HTTPParser.requestLineOverhead else {
            return .failure(HTTPError(.uriTooLong, message: "the request target is longer than \(limits.maximumTargetBytes) bytes"))
        }
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(RequestHead.badRequest("malformed request line"))
        }
        let methodBytes = parts[0], targetBytes = parts[1], versionBytes = parts[2]
        guard methodBytes.allSatisfy(HTTPToken.isTokenCharacter) else {
            return .failure(RequestHead.badRequest("invalid method"))
        }
        guard targetBytes.count <= limits.maximumTargetBytes else {
            return .failure(HTTPError(.uriTooLong, message: "the request target is longer than \(limits.maximumTargetBytes) bytes"))
        }
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(RequestHead.badRequest("invalid character in the request target"))
        }
        let version: HTTPVersion
        switch parseVersion(versionBytes) {
        case .success(let parsed): version = parsed
        case .failure(let error): return .failure(error)
        }
        let method = String(decoding: methodBytes, as: UTF8.self)
        let target = String(decoding: targetBytes, as: UTF8.self)

        var pathAndQuery = targetBytes
        if targetBytes.first != 0x2F {
            if targetBytes.count == 1 && targetBytes.first == 0x2A && method == "OPTIONS" {
                return .success(RequestLine(method: method, target: target, path: "*", pathSegments: [], query: [], version: version))
            }
            // absolute-form (RFC 9112 §3.2.2): servers must accept it; the authority is ignored.
            guard let rest = absoluteFormPath(targetBytes) else {
                return .failure(RequestHead.badRequest("the request target must be an absolute path"))
            }
            pathAndQuery = rest
        }
        let questionMark = pathAndQuery.firstIndex(of: 0x3F)
        let pathBytes = pathAndQuery[pathAndQuery.startIndex..<(questionMark ?? pathAndQuery.endIndex)]
        // A fragment never belongs in a request target.
        guard !pathAndQuery.contains(0x23) else { return .failure(RequestHead.badRequest("fragment in the request target")) }

        var segments: [String] = []
        var pieces = pathBytes.split(separator: 0x2F, omittingEmptySubsequences: false).dropFirst()
        if pieces.last?.isEmpty == true && pieces.count > 0 { pieces = pieces.dropLast() }
        for piece in pieces {
            guard let segment = PercentDecoding.decode(piece, plusIsSpace: false) else {
                return .failure(RequestHead.badRequest("malformed percent-encoding in the path"))
            }
            guard segment != ".." && segment != "." else {
                return .failure(RequestHead.badRequest("dot segments are not accepted in the path"))
            }
            segments.append(segment)
        }

        var query: [(name: String, value: String)] = []
        if let questionMark {
            let queryBytes = pathAndQuery[(questionMark + 1)...]
            for pair in queryBytes.split(separator: 0x26) {
                let equals = pair.firstIndex(of: 0x3D)
                let nameBytes = pair[pair.startIndex..<(equals ?? pair.endIndex)]
                let valueBytes = equals.map { pair[($0 + 1)...] } ?? []
                guard let name = PercentDecoding.decode(nameBytes, plusIsSpace: true),
                    let value = PercentDecoding.decode(valueBytes, plusIsSpace: true)
                else { return .failure(RequestHead.badRequest("malformed percent-encoding in the query")) }
                query.append((name: name, value: value))
            }
        }
        return .success(RequestLine(
            method: method, target: target, path: String(decoding: pathBytes, as: UTF8.self), pathSegments: segments,
            query: query, version: version))
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) -> Result<HTTPVersion, HTTPError> {
        let expected: [UInt8] = Array("HTTP/".utf8)
        guard bytes.count == 8, Array(bytes.prefix(5)) == expected,
            let major = bytes.dropFirst(5).first, bytes[bytes.startIndex + 6] == 0x2E, let minor = bytes.last,
            (0x30...0x39).contains(major), (0x30...0x39).contains(minor)
        else { return .failure(RequestHead.badRequest("malformed HTTP version")) }
        let version = HTTPVersion(major: Int(major - 0x30), minor: Int(minor - 0x30))
        guard version.major == 1 else {
            return .failure(HTTPError(.versionNotSupported, message: "only HTTP/1.0 and HTTP/1.1 are supported"))
        }
        return .success(version.minor == 0 ? .http1_0 : .http1_1)
    }

    /// The path (and query) of `http://authority/path?query`; nil for anything else.
    private static func absoluteFormPath(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let lower = bytes.prefix(8).map { $0 | 0x20 }
        let schemeLength: Int
        if lower.starts(with: Array("http://".utf8)) { schemeLength = 7 }
        else if lower.starts(with: Array("https://".utf8)) { schemeLength = 8 }
        else { return nil }
        let afterScheme = bytes.dropFirst(schemeLength)
        guard let slash = afterScheme.firstIndex(of: 0x2F) else { return nil }
        return bytes[slash...]
    }
}
