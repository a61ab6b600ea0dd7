import Glibc
import HTTP
import Security

extension CampaignAPIHandler {
    /// 401 for a missing or bad token, then 403 for a campaign outside the token's scope or a role too low.
    func authenticate(_ request: HTTPRequest, rule: AccessRule, parameters: [String: String]) throws(APIError) -> Principal {
        if case .open = rule { return .authDisabled }
        if configuration.authDisabled { return .authDisabled }
        guard let tokenKeys = configuration.tokenKeys else {
            throw APIError.unauthorized("authentication is not configured", tokenSent: Access.bearerToken(from: request, allowQueryToken: true) != nil)
        }
        let isStream = request.pathSegments.first == "api" && request.pathSegments.dropFirst().first == "events"
        guard let token = Access.bearerToken(from: request, allowQueryToken: isStream) else {
            throw APIError.unauthorized("a bearer token is required", tokenSent: false)
        }
        let claims: TokenClaims
        switch tokenKeys.verifier.verify(token, now: Int64(time(nil)), leewaySeconds: configuration.tokenLeewaySeconds) {
        case .success(let verified): claims = verified
        case .failure(let error): throw APIError.unauthorized(error.clientMessage, tokenSent: error != .missing)
        }
        let principal = Principal(claims: claims)
        switch rule {
        case .open, .authenticated:
            break
        case .role(let needed):
            if principal.role < needed { throw APIError.forbidden("this needs the \(needed.rawValue) role") }
            if principal.scope != .all {
                throw APIError.forbidden("this needs a token for every campaign (campaigns [\"*\"]); this one is limited to some")
            }
        case .campaign(let needed):
            try authorize(principal, campaignId: parameters["campaignId"] ?? "", role: needed)
        }
        return principal
    }

    /// 403 unless the caller may act on `campaignId` with `role`: the per-campaign rule of every
    /// campaign route, and of each campaign a multi-campaign stream asks for.
    func authorize(_ principal: Principal, campaignId: String, role needed: Role) throws(APIError) {
        if !principal.scope.allows(campaignId.lowercased()) { throw APIError.forbidden("this token is not allowed this campaign") }
        if principal.role < needed { throw APIError.forbidden("this needs the \(needed.rawValue) role") }
    }

}
