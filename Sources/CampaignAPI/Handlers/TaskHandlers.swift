import CampaignModel
import CampaignStore
import HTTP

extension CampaignAPIHandler {
    func createTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        // The store reports an unknown campaign itself, so the campaign is looked up first only when
        // the request is refused before reaching the store: a valid create is one database call.
        let (draft, writer) = try await validated(context, campaignId: campaignId) { () throws(APIError) in
            let body = try context.jsonBody()
            let draft: TaskDraft
            do throws(ValidationError) { draft = try TaskDraft.parse(body, campaignId: campaignId) } catch { throw APIError.validation(error) }
            return (draft, try context.writeContext())
        }
        switch try await storeCall(context, { try await store.createTask(campaignId: campaignId, draft: draft, context: writer) }) {
        case .created(let task): return JSONResponse.task(task, status: .created, location: true)
        case .existing(let task): return JSONResponse.task(task)
        }
    }

    func getTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId, context)
        let taskId = try context.identifier("taskId")
        guard let task = try await storeCall(context, { try await store.task(campaignId: campaignId, taskId: taskId) }) else {
            throw APIError.notFound("task")
        }
        return JSONResponse.task(task)
    }

    func updateTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId, context)
        let taskId = try context.identifier("taskId")
        let (patch, version, writer) = try await validated(context, campaignId: campaignId, taskId: taskId) { () throws(APIError) in
            let body = try context.jsonBody()
            let patch: TaskPatch
            do throws(ValidationError) { patch = try TaskPatch.parse(body) } catch { throw APIError.validation(error) }
            return (patch, try context.ifMatchVersion(), try context.writeContext())
        }
        let task = try await storeCall(context) {
            try await store.updateTask(campaignId: campaignId, taskId: taskId, patch: patch, ifMatch: version, context: writer)
        }
        return JSONResponse.task(task)
    }

    func moveTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId, context)
        let taskId = try context.identifier("taskId")
        let (move, version, writer) = try await validated(context, campaignId: campaignId, taskId: taskId) { () throws(APIError) in
            let body = try context.jsonBody()
            let move: TaskMove
            do throws(ValidationError) { move = try TaskMove.parse(body) } catch { throw APIError.validation(error) }
            return (move, try context.ifMatchVersion(), try context.writeContext())
        }
        let task = try await storeCall(context) {
            try await store.moveTask(campaignId: campaignId, taskId: taskId, move: move, ifMatch: version, context: writer)
        }
        return JSONResponse.task(task)
    }

    func deleteTask(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        try await requireCampaign(campaignId, context)
        let taskId = try context.identifier("taskId")
        let (version, writer) = try await validated(context, campaignId: campaignId, taskId: taskId) { () throws(APIError) in
            (try context.ifMatchVersion(), try context.writeContext())
        }
        try await storeCall(context) { try await store.deleteTask(campaignId: campaignId, taskId: taskId, ifMatch: version, context: writer) }
        return HTTPResponse(status: .noContent)
    }

    /// Runs the request's validation; when it fails, an unknown task (with `taskId`) or campaign (without)
    /// still answers 404 first (docs/API.md: 404 before validation). The lookup only happens on that failure path.
    private func validated<T: Sendable>(
        _ context: RequestContext, campaignId: String, taskId: String? = nil, _ validation: @escaping @Sendable () throws(APIError) -> T
    ) async throws(APIError) -> T {
        do {
            return try await context.readingBody(validation)
        } catch {
            guard let taskId else {
                try await requireCampaign(campaignId, context)
                throw error
            }
            if try await storeCall(context, { try await store.task(campaignId: campaignId, taskId: taskId) }) == nil {
                throw APIError.notFound("task")
            }
            throw error
        }
    }
}
