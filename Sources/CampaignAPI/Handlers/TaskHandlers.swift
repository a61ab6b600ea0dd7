import CampaignModel
import CampaignStore
import HTTP

extension CampaignAPIHandler {
    func createTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId)
        let body = try context.jsonBody()
        let draft: TaskDraft
        do { draft = try TaskDraft.parse(body, campaignId: campaignId) } catch { throw APIError.validation(error) }
        let writer = try context.writeContext()
        switch try await storeCall({ try await store.createTask(campaignId: campaignId, draft: draft, context: writer) }) {
        case .created(let task): return JSONResponse.task(task, status: .created, location: true)
        case .existing(let task): return JSONResponse.task(task)
        }
    }

    func getTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId)
        let taskId = try context.identifier("taskId")
        guard let task = try await storeCall({ try await store.task(campaignId: campaignId, taskId: taskId) }) else {
            throw APIError.notFound("task")
        }
        return JSONResponse.task(task)
    }

    func updateTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId)
        let taskId = try context.identifier("taskId")
        let body = try context.jsonBody()
        let patch: TaskPatch
        do { patch = try TaskPatch.parse(body) } catch { throw APIError.validation(error) }
        let version = try context.ifMatchVersion()
        let writer = try context.writeContext()
        let task = try await storeCall {
            try await store.updateTask(campaignId: campaignId, taskId: taskId, patch: patch, ifMatch: version, context: writer)
        }
        return JSONResponse.task(task)
    }

    func moveTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId)
        let taskId = try context.identifier("taskId")
        let body = try context.jsonBody()
        let move: TaskMove
        do { move = try TaskMove.parse(body) } catch { throw APIError.validation(error) }
        let version = try context.ifMatchVersion()
        let writer = try context.writeContext()
        let task = try await storeCall {
            try await store.moveTask(campaignId: campaignId, taskId: taskId, move: move, ifMatch: version, context: writer)
        }
        return JSONResponse.task(task)
    }

    func deleteTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId)
        let taskId = try context.identifier("taskId")
        let version = try context.ifMatchVersion()
        let writer = try context.writeContext()
        try await storeCall { try await store.deleteTask(campaignId: campaignId, taskId: taskId, ifMatch: version, context: writer) }
        return HTTPResponse(status: .noContent)
    }
}
