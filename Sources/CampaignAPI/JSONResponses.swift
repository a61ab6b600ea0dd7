import CampaignModel
import HTTP

/// JSON answers with the headers the contract asks for.
enum JSONResponse {
    static func ok(_ value: JSONValue, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(value.encoded()))
    }

    /// A task with its `ETag`; `location` for a 201.
    static func task(_ task: CampaignTask, status: HTTPStatus = .ok, location: Bool = false) -> HTTPResponse {
        var headers: HTTPHeaders = ["ETag": task.etag]
        if location { headers.set("Location", "/api/campaigns/\(task.campaignId)/tasks/\(task.id)") }
        return ok(task.json, status: status, headers: headers)
    }
}
