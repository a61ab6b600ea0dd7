import CampaignModel
import CampaignStore
import HTTP

extension CampaignAPIHandler {
    func listCampaigns(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaigns = try await storeCall(context) { try await store.listCampaigns() }
        let visible = campaigns.filter { context.principal.scope.allows($0.id) }
        return JSONResponse.ok(.array(visible.map { $0.json }))
    }

    func createCampaign(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let draft = try await context.readingBody { () throws(APIError) in
            let body = try context.jsonBody()
            do throws(ValidationError) { return try CampaignDraft.parse(body) } catch { throw APIError.validation(error) }
        }
        let campaign = try await storeCall(context) { try await store.createCampaign(draft) }
        return JSONResponse.ok(campaign.json, status: .created, headers: ["Location": "/api/campaigns/\(campaign.id)"])
    }

    func getCampaign(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        guard let campaign = try await storeCall(context, { try await store.campaign(id: campaignId) }) else {
            throw APIError.notFound("campaign")
        }
        return JSONResponse.ok(campaign.json)
    }

    func execution(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        guard let snapshot = try await storeCall(context, { try await store.snapshot(campaignId: campaignId, historyLimit: ExecutionSnapshot.historyLimit) })
        else { throw APIError.notFound("campaign") }
        return JSONResponse.ok(snapshot.json)
    }

    /// Runs a store call, mapping its failure to the API's error answer.
    func storeCall<T>(_ context: RequestContext, _ body: () async throws -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            if case .unavailable(let reason) = error {
                context.logger.warning("[API] database unavailable", metadata: ["error": "\(reason)"])
            }
            throw APIError.from(error)
        } catch {
            // Stores throw only StoreError; anything else is treated as the store being unusable.
            context.logger.error("[API] unexpected store error", metadata: ["error": "\(error)"])
            throw APIError.unavailable()
        }
    }

    /// 404 unless the campaign exists (checked before validating a body: 404 comes first).
    func requireCampaign(_ campaignId: String, _ context: RequestContext) async throws(APIError) {
        guard try await storeCall(context, { try await store.campaign(id: campaignId) }) != nil else { throw APIError.notFound("campaign") }
    }
}
