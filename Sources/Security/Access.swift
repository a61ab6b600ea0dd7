import HTTP

/// Where a request's credentials come from.
public enum Access {
    /// Parses `Authorization: Bearer …` (case-insensitive scheme); `allowQueryToken` accepts `?access_token=` (SSE route only).
    ///
    /// Returns nil when there is no usable token: no header, another scheme, an empty token, or several
    /// `Authorization` fields (which one a proxy honoured is unknowable, so none is trusted).
    /// The header wins over the query parameter when both are present.
    public static func bearerToken(from request: HTTPRequest, allowQueryToken: Bool) -> String? {
        let fields = request.headers.values("Authorization")
        if fields.count > 1 { return nil }
        if let field = fields.first { return parseBearer(field) }
        guard allowQueryToken, let token = request.queryValue("access_token"), !token.isEmpty else { return nil }
        return token
    }

    /// The token of a `Bearer <token>` credential (RFC 6750 §2.1), or nil.
    static func parseBearer(_ field: String) -> String? {
        var rest = Substring(field).drop { $0 == " " || $0 == "\t" }
        let scheme = rest.prefix { $0 != " " && $0 != "\t" }
        guard HTTPHeaders.equalsIgnoringCase(String(scheme), "Bearer") else { return nil }
        rest = rest.dropFirst(scheme.count)
        guard let separator = rest.first, separator == " " || separator == "\t" else { return nil }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        while let last = rest.last, last == " " || last == "\t" { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        return String(rest)
    }
}
