import CampaignModel

extension TokenClaims {
    /// The payload JSON with members in a fixed order: `sub`, `role`, `campaigns`, `iss`?, `aud`?, `iat`?,
    /// `exp`; the role and campaigns under the names `policy` gives, with its issuer and audience.
    func jsonBytes(policy: TokenPolicy = TokenPolicy()) -> [UInt8] {
        let scope: [JSONValue] = switch campaigns {
        case .all: ["*"]
        // Sorted so that equal claims always sign to the same token.
        case .only(let ids): ids.sorted().map(JSONValue.string)
        }
        var members: [(key: String, value: JSONValue)] = [
            (key: "sub", value: .string(subject)), (key: policy.roleClaim, value: .string(role.rawValue)),
            (key: policy.campaignsClaim, value: .array(scope)),
        ]
        if let issuer = policy.issuer { members.append((key: "iss", value: .string(issuer))) }
        if let audience = policy.audience { members.append((key: "aud", value: .string(audience))) }
        if let issuedAt { members.append((key: "iat", value: .int(issuedAt))) }
        members.append((key: "exp", value: .int(expiresAt)))
        return JSONValue.object(JSONObject(members)).encoded()
    }

    /// Reads and checks the claims of an authenticated payload; `policy` names the role and campaigns
    /// claims and the issuer and audience it must carry.
    static func from(
        payload: JSONValue, now: Int64, leewaySeconds: Int64, policy: TokenPolicy
    ) -> Result<TokenClaims, TokenError> {
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

        if let issuer = policy.issuer {
            guard case .string(issuer)? = payload["iss"] else { return .failure(.invalidClaims("iss")) }
        }
        if let audience = policy.audience, !Self.audience(payload["aud"], contains: audience) {
            return .failure(.invalidClaims("aud"))
        }

        guard case .string(let subject)? = payload["sub"], !subject.isEmpty else {
            return .failure(.invalidClaims("sub"))
        }
        guard case .string(let roleName)? = payload[policy.roleClaim], let role = Role(rawValue: roleName) else {
            return .failure(.invalidClaims(policy.roleClaim))
        }
        guard case .array(let entries)? = payload[policy.campaignsClaim], let campaigns = campaignScope(entries) else {
            return .failure(.invalidClaims(policy.campaignsClaim))
        }
        return .success(TokenClaims(
            subject: subject, expiresAt: expiresAt, role: role, campaigns: campaigns, issuedAt: issuedAt))
    }

    /// RFC 7519 §4.1.3: `aud` is one string or an array of strings; one of them must be ours.
    private static func audience(_ value: JSONValue?, contains expected: String) -> Bool {
        switch value {
        case .string(let single)?: return single == expected
        case .array(let entries)?: return entries.contains(.string(expected))
        default: return false
        }
    }

    /// A NumericDate (RFC 7519 §2): seconds, possibly fractional; fractions are dropped. Only
    /// 1970-01-01 through 9999-12-31 is accepted: a time claim outside it is a mistake (an issuer
    /// writing milliseconds or nanoseconds), and every later use (milliseconds, RFC 3339 text,
    /// deadlines) can then multiply and add without overflowing.
    private static func numericDate(_ value: JSONValue) -> Int64? {
        let seconds: Int64
        switch value {
        case .int(let whole):
            seconds = whole
        case .double(let fractional):
            guard fractional.isFinite else { return nil }
            let whole = fractional.rounded(.down)
            guard whole >= 0, whole <= Double(latestNumericDate) else { return nil }
            seconds = Int64(whole)
        default:
            return nil
        }
        return numericDateRange.contains(seconds) ? seconds : nil
    }

    /// `["*"]` alone means every campaign; otherwise every entry must be a UUID (any case, stored lower-case).
    private static func campaignScope(_ entries: [JSONValue]) -> CampaignScope? {
        if entries == [.string("*")] { return .all }
        var ids = Set<String>()
        for entry in entries {
            guard case .string(let text) = entry, Identifier.isValid(text) else { return nil }
            ids.insert(text.lowercased())
        }
        return .only(ids)
    }
}
