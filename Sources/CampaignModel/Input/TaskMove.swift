/// The body of `POST …/tasks/:id/move`: both members required.
public struct TaskMove: Sendable, Equatable {
    public var phaseId: String
    /// ≥ 0; clamped by the store to the number of other tasks in the target phase.
    public var position: Int

    public init(phaseId: String, position: Int) {
        self.phaseId = phaseId
        self.position = position
    }

    public static func parse(_ body: JSONValue) throws(ValidationError) -> TaskMove {
        let reader = try FieldReader(body)
        try reader.rejectUnknown(allowed: ["phaseId", "position"])
        guard let phaseId = try reader.identifier("phaseId") else { throw ValidationError(field: "phaseId", "is required") }
        guard let position = try TaskFieldRules.position(try reader.integer("position")) else {
            throw ValidationError(field: "position", "is required")
        }
        return TaskMove(phaseId: phaseId, position: position)
    }
}
