import Glibc
import HTTP
import Security

extension CampaignAPIHandler {
    /// 401 for a missing or bad token, then 403 for a campaign outside the token's scope or a role too low.
    func authenticate(_ request: HTTPRequest, rule: AccessRule, parameters: [String: String]) throws(APIError) -> Principal {
        if case .open = rule { return .authDisabled }
        if configuration.authDisabled { return .authDisabled }
        guard let tokenKeys = configuration.tokenKeys else {
            let sent = Access.bearerToken(from: request, allowQueryToken: true) != nil
            throw APIError.unauthorized("authentication is not configured", tokenRefused: sent)
        }
        let isStream = request.pathSegments.first == "api" && request.pathSegments.dropFirst().first == "events"
        guard let token = Access.bearerToken(from: request, allowQueryToken: isStream) else {
            throw APIError.unauthorized("a bearer token is required", tokenRefused: false)
        }
        let claims: TokenClaims
        switch tokenKeys.verifier.verify(token, now: Int64(time(nil)), leewaySeconds: configuration.tokenLeewaySeconds) {
        case .success(let verified): claims = verified
        case .failure(let error): throw APIError.unauthorized(error)
        }
        let principal = Principal(claims: claims)
        switch rule {
        case .open, .authenticated:
            break
        case .role(let needed):
            try authorize(principal, target: .everyCampaign, role: needed)
        case .campaign(let needed):
            try authorize(principal, target: .campaign(parameters["campaignId"] ?? ""), role: needed)
        }
        return principal
    }

    /// 403 unless the caller may act on `target` with `role`: the rule of every campaign route, of each
    /// campaign a multi-campaign stream asks for, and of creating a campaign.
    func authorize(_ principal: Principal, target: AccessTarget, role needed: Role) throws(APIError) {
        if let failure = Security.authorize(role: principal.role, scope: principal.scope, target: target, needs: needed) {
            throw APIError.forbidden(failure)
        }
    }
}
