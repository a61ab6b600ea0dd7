extension TokenClaims {
    /// The payload JSON with members in a fixed order: `sub`, `role`, `campaigns`, `iat`?, `exp`.
    func jsonBytes() -> [UInt8] {
        var out = Array(#"{"sub":"#.utf8)
        Self.appendJSONString(subject, to: &out)
        out.append(contentsOf: #","role":"#.utf8)
        Self.appendJSONString(role.rawValue, to: &out)
        out.append(contentsOf: #","campaigns":["#.utf8)
        switch campaigns {
        case .all:
            out.append(contentsOf: #""*""#.utf8)
        case .only(let ids):
            // Sorted so that equal claims always sign to the same token.
            for (position, id) in ids.sorted().enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendJSONString(id, to: &out)
            }
        }
        out.append(UInt8(ascii: "]"))
        if let issuedAt {
            out.append(contentsOf: #","iat":"#.utf8)
            out.append(contentsOf: String(issuedAt).utf8)
        }
        out.append(contentsOf: #","exp":"#.utf8)
        out.append(contentsOf: String(expiresAt).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads and checks the claims of an authenticated payload.
    static func from(payload: JSONValue, now: Int64, leewaySeconds: Int64) -> Result<TokenClaims, TokenError> {
        guard case .object = payload else { return .failure(.malformed) }

        guard let expValue = payload["exp"] else { return .failure(.missingExpiry) }
        guard let expiresAt = numericDate(expValue) else { return .failure(.invalidClaims("exp")) }
        let (deadline, overflow) = expiresAt.addingReportingOverflow(leewaySeconds)
        // RFC 7519 §4.1.4: the token is valid only before `exp`.
        if !overflow && now >= deadline { return .failure(.expired) }

        if let notBeforeValue = payload["nbf"] {
            guard let notBefore = numericDate(notBeforeValue) else { return .failure(.invalidClaims("nbf")) }
            let (earliest, overflow) = now.addingReportingOverflow(leewaySeconds)
            if !overflow && earliest < notBefore { return .failure(.invalidClaims("nbf")) }
        }

        var issuedAt: Int64?
        if let issuedAtValue = payload["iat"] {
            guard let value = numericDate(issuedAtValue) else { return .failure(.invalidClaims("iat")) }
            issuedAt = value
        }

        guard case .string(let subject)? = payload["sub"], !subject.isEmpty else {
            return .failure(.invalidClaims("sub"))
        }
        guard case .string(let roleName)? = payload["role"], let role = Role(rawValue: roleName) else {
            return .failure(.invalidClaims("role"))
        }
        guard case .array(let entries)? = payload["campaigns"], let campaigns = campaignScope(entries) else {
            return .failure(.invalidClaims("campaigns"))
        }
        return .success(TokenClaims(
            subject: subject, expiresAt: expiresAt, role: role, campaigns: campaigns, issuedAt: issuedAt))
    }

    /// A NumericDate (RFC 7519 §2): seconds, possibly fractional; fractions are dropped.
    private static func numericDate(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let seconds):
            return seconds
        case .number(let seconds):
            let whole = seconds.rounded(.down)
            guard whole >= -9.2e18, whole <= 9.2e18 else { return nil }
            return Int64(whole)
        default:
            return nil
        }
    }

    /// `["*"]` alone means every campaign; otherwise every entry must be a UUID (any case, stored lower-case).
    private static func campaignScope(_ entries: [JSONValue]) -> CampaignScope? {
        if entries == [.string("*")] { return .all }
        var ids = Set<String>()
        for entry in entries {
            guard case .string(let text) = entry, isUUID(text) else { return nil }
            ids.insert(text.lowercased())
        }
        return .only(ids)
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func isUUID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return false }
        for (offset, byte) in utf8.enumerated() {
            switch offset {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                let isHex = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
                guard isHex else { return false }
            }
        }
        return true
    }

    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
