/// `Accept-Encoding` negotiation (RFC 9110 §12.5.3) for the one coding we produce.
public enum AcceptEncoding {
    /// Whether a response may be gzip-encoded for this header value: `gzip` (or `x-gzip`, or `*`)
    /// listed with a q-value above zero, and not refused by a more specific `gzip;q=0`.
    public static func allowsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzipQuality: Double? = nil
        var wildcardQuality: Double? = nil
        for element in header.split(separator: ",") {
            let parts = element.split(separator: ";")
            guard let name = parts.first?.trimmingOptionalWhitespace().lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingOptionalWhitespace().lowercased() == "q" else { continue }
                quality = Double(pair[1].trimmingOptionalWhitespace()) ?? 0
            }
            switch name {
            case "gzip", "x-gzip": gzipQuality = max(gzipQuality ?? 0, quality)
            case "*": wildcardQuality = quality
            default: break
            }
        }
        if let gzipQuality { return gzipQuality > 0 }
        if let wildcardQuality { return wildcardQuality > 0 }
        return false
    }

    /// Content types worth compressing (text-like).
    public static func isCompressible(contentType: String?) -> Bool {
        guard let contentType = contentType?.lowercased() else { return false }
        return contentType.hasPrefix("text/") || contentType.contains("json") || contentType.contains("javascript")
            || contentType.contains("xml") || contentType.contains("svg") || contentType.contains("yaml")
    }
}
