/// The requests of the mixed REST workload.
enum LoadRoute: Int, CaseIterable, Codable, Sendable {
    case create, update, move, read

    /// How the route is named in tables and JSON.
    var name: String {
        switch self {
        case .create: return "POST /api/campaigns/:id/tasks"
        case .update: return "PATCH /api/campaigns/:id/tasks/:taskId"
        case .move: return "POST /api/campaigns/:id/tasks/:taskId/move"
        case .read: return "GET /api/campaigns/:id/execution"
        }
    }

    /// The status a success answers with.
    var successStatuses: Set<Int> {
        self == .create ? [201] : [200]
    }

    /// A write whose success must show up as an event on every subscriber.
    var isWrite: Bool { self != .read }
}
