/// Reads typed fields out of a JSON object body, turning every wrong type or value into a
/// `ValidationError` that names the field.
struct FieldReader {
    let object: JSONObject

    init(_ body: JSONValue) throws(ValidationError) {
        guard let object = body.objectValue else { throw ValidationError(field: nil, "the body must be a JSON object") }
        self.object = object
    }

    /// Rejects members outside `allowed` (a typo must not be silently ignored).
    func rejectUnknown(allowed: Set<String>) throws(ValidationError) {
        for key in object.keys where !allowed.contains(key) {
            throw ValidationError(field: key, "unknown field")
        }
    }

    func has(_ field: String) -> Bool { object[field] != nil }

    func string(_ field: String) throws(ValidationError) -> String? {
        guard let value = object[field] else { return nil }
        guard let text = value.stringValue else { throw ValidationError(field: field, "expected a string, got \(value.kindName)") }
        return text
    }

    /// A field that may be explicitly `null`: `.none` when absent, `.some(nil)` for null.
    func nullableString(_ field: String) throws(ValidationError) -> String?? {
        guard let value = object[field] else { return .none }
        if value.isNull { return .some(nil) }
        guard let text = value.stringValue else {
            throw ValidationError(field: field, "expected a string or null, got \(value.kindName)")
        }
        return .some(text)
    }

    func integer(_ field: String) throws(ValidationError) -> Int? {
        guard let value = object[field] else { return nil }
        guard let number = value.intValue, let integer = Int(exactly: number) else {
            throw ValidationError(field: field, "expected an integer, got \(value.kindName)")
        }
        return integer
    }

    func identifier(_ field: String) throws(ValidationError) -> String? {
        guard let text = try string(field) else { return nil }
        guard let id = Identifier.normalized(text) else { throw ValidationError(field: field, "must be a UUID") }
        return id
    }
}

/// The checks every text field of a task goes through, shared by create and update.
enum TaskFieldRules {
    static func title(_ raw: String) throws(ValidationError) -> String {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValidationError(field: "title", "must not be empty") }
        guard trimmed.hasAtMostScalars(200) else { throw ValidationError(field: "title", "must be at most 200 characters") }
        return trimmed
    }

    static func description(_ raw: String) throws(ValidationError) -> String {
        guard raw.hasAtMostScalars(10_000) else {
            throw ValidationError(field: "description", "must be at most 10000 characters")
        }
        return raw
    }

    static func status(_ raw: String) throws(ValidationError) -> TaskStatus {
        guard let status = TaskStatus(rawValue: raw) else {
            throw ValidationError(field: "status", "must be one of todo, in_progress, blocked, done")
        }
        return status
    }

    static func priority(_ raw: String) throws(ValidationError) -> TaskPriority {
        guard let priority = TaskPriority(rawValue: raw) else {
            throw ValidationError(field: "priority", "must be one of low, medium, high, urgent")
        }
        return priority
    }

    static func assignee(_ raw: String?) throws(ValidationError) -> String? {
        guard let raw else { return nil }
        guard raw.hasAtMostScalars(100) else { throw ValidationError(field: "assignee", "must be at most 100 characters") }
        return raw
    }

    static func dueDate(_ raw: String?) throws(ValidationError) -> String? {
        guard let raw else { return nil }
        guard CivilDate.isValidDateString(raw) else {
            throw ValidationError(field: "dueDate", "must be a date as YYYY-MM-DD")
        }
        return raw
    }

    static func position(_ raw: Int?, field: String = "position") throws(ValidationError) -> Int? {
        guard let raw else { return nil }
        guard raw >= 0 else { throw ValidationError(field: field, "must be an integer ≥ 0") }
        return raw
    }
}
