extension HTTPResponse {
    /// The bytes of the status line and header section (ending in the empty line).
    /// `contentLength` nil means a close-delimited stream.
    func encodedHead(version: HTTPVersion, date: String, contentLength: Int?, keepAlive: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: version == .http1_0 ? Array("HTTP/1.0 ".utf8) : Array("HTTP/1.1 ".utf8))
        out.append(contentsOf: String(status.code).utf8)
        out.append(0x20)
        out.append(contentsOf: status.reason.utf8)
        out.append(contentsOf: [0x0D, 0x0A])
        for field in headers.fields {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: [0x3A, 0x20])
            // A CR or LF in a value would split the response: handlers' values are sanitised here.
            for byte in field.value.utf8 where byte != 0x0D && byte != 0x0A { out.append(byte) }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date.utf8)
        out.append(contentsOf: [0x0D, 0x0A])
        if let contentLength {
            out.append(contentsOf: "Content-Length: ".utf8)
            out.append(contentsOf: String(contentLength).utf8)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: [0x0D, 0x0A])
        return out
    }

    /// Applies gzip when the client accepts it and the body is large and text-like enough;
    /// adds `Vary: Accept-Encoding` to every response whose encoding could have differed.
    mutating func negotiateCompression(acceptEncoding: String?) {
        guard case .bytes(let body) = self.body, body.count >= Gzip.minimumBodyBytes,
            headers["Content-Encoding"] == nil, AcceptEncoding.isCompressible(contentType: headers["Content-Type"])
        else { return }
        headers.add("Vary", "Accept-Encoding")
        guard AcceptEncoding.allowsGzip(acceptEncoding), let compressed = Gzip.compress(body) else { return }
        headers.add("Content-Encoding", "gzip")
        self.body = .bytes(compressed)
    }
}
