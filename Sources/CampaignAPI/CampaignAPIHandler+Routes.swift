import HTTP

extension CampaignAPIHandler {
    /// The route table of docs/API.md. Keep `openapi.yaml` in step: a test compares the two.
    static let routes: [Router.Route] = [
            Router.route("GET", "/api/health", .open) { api, context in await api.health(context) },
            Router.route("GET", "/livez", .open) { api, context in api.livenessAnswer(context) },
            Router.route("GET", "/readyz", .open) { api, context throws(APIError) in try await api.readinessAnswer(context) },
            Router.route("GET", "/metrics", .open) { api, context throws(APIError) in try api.metricsText(context) },
            Router.route("GET", "/api/campaigns", .authenticated) { api, context throws(APIError) in try await api.listCampaigns(context) },
            Router.route("POST", "/api/campaigns", .role(.admin)) { api, context throws(APIError) in try await api.createCampaign(context) },
            Router.route("GET", "/api/campaigns/:campaignId", .campaign(.viewer)) { api, context throws(APIError) in
                try await api.getCampaign(context)
            },
            Router.route("GET", "/api/campaigns/:campaignId/execution", .campaign(.viewer)) { api, context throws(APIError) in
                try await api.execution(context)
            },
            Router.route("POST", "/api/campaigns/:campaignId/tasks", .campaign(.editor)) { api, context throws(APIError) in
                try await api.createTask(context)
            },
            Router.route("GET", "/api/campaigns/:campaignId/tasks/:taskId", .campaign(.viewer)) { api, context throws(APIError) in
                try await api.getTask(context)
            },
            Router.route("PATCH", "/api/campaigns/:campaignId/tasks/:taskId", .campaign(.editor)) { api, context throws(APIError) in
                try await api.updateTask(context)
            },
            Router.route("POST", "/api/campaigns/:campaignId/tasks/:taskId/move", .campaign(.editor)) { api, context throws(APIError) in
                try await api.moveTask(context)
            },
            Router.route("DELETE", "/api/campaigns/:campaignId/tasks/:taskId", .campaign(.editor)) { api, context throws(APIError) in
                try await api.deleteTask(context)
            },
            Router.route("GET", "/api/events", .authenticated) { api, context throws(APIError) in
                try await api.multiEventStream(context)
            },
            Router.route("GET", "/api/events/:campaignId", .campaign(.viewer)) { api, context throws(APIError) in
                try await api.eventStream(context)
            },
    ]
}
