// libFuzzer target for the JSON parser and every request body type built on it
// (Sources/CampaignModel/JSON, Sources/CampaignModel/Input): TaskDraft, TaskPatch, TaskMove, CampaignDraft.
//
// Input layout: the whole input is a request body, exactly as a client would send it (no control bytes).
// It is parsed once; a parsed value goes through all four input types, so every seed reaches every
// validator. Any broken invariant calls fatalError (rather than precondition, whose message -O drops),
// which libFuzzer reports as a crash and saves as a reproducer.

let fuzzTargetName = "JSON input"

let campaignId = "3f2c8a4e-1b7d-4c9e-8f0a-6d5b4e3c2a10"
let sampleTask = CampaignTask(
    id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", campaignId: campaignId, phaseId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    title: "sample", position: 0, createdAt: Timestamp(millisecondsSinceEpoch: 0), updatedAt: Timestamp(millisecondsSinceEpoch: 0))

/// Nesting of a value (a scalar is 0, `[]` is 1), to check the parser's depth limit.
func depth(_ value: JSONValue) -> Int {
    switch value {
    case .array(let values): 1 + (values.map(depth).max() ?? 0)
    case .object(let object): 1 + (object.members.map { depth($0.value) }.max() ?? 0)
    default: 0
    }
}

/// Equal as JSON: numbers compare by value (the encoder writes 1.0 as `1`, which parses back as an integer).
func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
    case (.double(let x), .double(let y)): return x == y
    case (.array(let xs), .array(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { sameJSON($0, $1) }
    case (.object(let x), .object(let y)):
        return x.members.count == y.members.count
            && zip(x.members, y.members).allSatisfy { $0.key == $1.key && sameJSON($0.value, $1.value) }
    default: return a == b
    }
}

/// A validation error names a member of the body (or nothing, for a body that is not an object).
func checkError(_ error: ValidationError, _ body: JSONValue, _ type: String) {
    check(!error.message.isEmpty, "\(type): an error without a message")
    guard let field = error.field else {
        check(body.objectValue == nil, "\(type): an error without a field for an object body: \(error)")
        return
    }
    let known: Set<String> = [
        "id", "campaignId", "phaseId", "title", "description", "status", "priority", "assignee", "dueDate", "position", "name",
    ]
    check(known.contains(field) || body[field] != nil, "\(type): the error names \(field), which is neither a field nor in the body")
}

func checkTitle(_ title: String) {
    check(title == title.trimmingWhitespace(), "the title \(title.debugDescription) is not trimmed")
    check((1...200).contains(title.unicodeScalars.count), "the title has \(title.unicodeScalars.count) characters")
}

func checkIdentifier(_ id: String?, _ name: String) {
    guard let id else { return }
    check(Identifier.normalized(id) == id, "\(name) \(id.debugDescription) is not a normalized UUID")
}

func checkOptionalFields(description: String?, assignee: String??, dueDate: String??) {
    if let description { check(description.unicodeScalars.count <= 10_000, "the description is too long") }
    if case .some(.some(let assignee)) = assignee { check(assignee.unicodeScalars.count <= 100, "the assignee is too long") }
    if case .some(.some(let dueDate)) = dueDate { check(CivilDate.isValidDateString(dueDate), "dueDate \(dueDate) is not a date") }
}

/// What a client would send to create `draft`; parsing it must give `draft` back.
func body(of draft: TaskDraft) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = [
        (key: "phaseId", value: .string(draft.phaseId)), (key: "title", value: .string(draft.title)),
        (key: "description", value: .string(draft.description)), (key: "status", value: .string(draft.status.rawValue)),
        (key: "priority", value: .string(draft.priority.rawValue)),
        (key: "assignee", value: draft.assignee.map(JSONValue.string) ?? .null),
        (key: "dueDate", value: draft.dueDate.map(JSONValue.string) ?? .null),
    ]
    if let id = draft.id { members.append((key: "id", value: .string(id))) }
    if let position = draft.position { members.append((key: "position", value: .int(Int64(position)))) }
    return .object(JSONObject(members))
}

/// Parses `value` as one body type, then checks what it accepted, or the error it gave.
func exercise<Input>(
    _ type: String, _ value: JSONValue, parse: (JSONValue) throws(ValidationError) -> Input, accepted: (Input) -> Void
) {
    do throws(ValidationError) {
        let input = try parse(value)
        accepted(input)
        if printOutcomes { report("\(type): \(input)") }
    } catch {
        checkError(error, value, type)
        if printOutcomes { report("\(type): \(error)") }
    }
}

func fuzzInputTypes(_ value: JSONValue) {
    exercise("TaskDraft", value, parse: { body throws(ValidationError) in try TaskDraft.parse(body, campaignId: campaignId) }) { draft in
        checkTitle(draft.title)
        checkIdentifier(draft.id, "id")
        checkIdentifier(draft.phaseId, "phaseId")
        checkOptionalFields(description: draft.description, assignee: .some(draft.assignee), dueDate: .some(draft.dueDate))
        if let position = draft.position { check(position >= 0, "a negative position \(position)") }
        // The draft's own fields, sent again, are accepted and mean the same draft.
        do throws(ValidationError) {
            check(try TaskDraft.parse(body(of: draft), campaignId: campaignId) == draft, "TaskDraft does not survive its own fields")
        } catch {
            check(false, "TaskDraft refuses its own fields: \(error)")
        }
    }
    exercise("TaskPatch", value, parse: TaskPatch.parse) { patch in
        if let title = patch.title { checkTitle(title) }
        checkOptionalFields(description: patch.description, assignee: patch.assignee, dueDate: patch.dueDate)
        let patched = patch.applied(to: sampleTask)
        check(patched.id == sampleTask.id && patched.version == sampleTask.version, "a patch changed the id or version")
    }
    exercise("TaskMove", value, parse: TaskMove.parse) { move in
        checkIdentifier(move.phaseId, "phaseId")
        check(move.position >= 0, "a negative position \(move.position)")
    }
    exercise("CampaignDraft", value, parse: CampaignDraft.parse) { draft in
        check(draft.name == draft.name.trimmingWhitespace() && !draft.name.isEmpty, "the name is empty or not trimmed")
        check(draft.name.unicodeScalars.count <= Campaign.maximumNameLength, "the name is too long")
        checkIdentifier(draft.id, "id")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONInputs(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let value: JSONValue
    do throws(JSONParseError) {
        value = try JSONParser.parse(bytes)
    } catch {
        check((0...bytes.count).contains(error.offset), "error offset \(error.offset) outside 0...\(bytes.count)")
        check(!error.message.isEmpty, "a parse error without a message")
        if printOutcomes { report("parse: \(error)") }
        return 0
    }
    if printOutcomes { report("parse: \(value.encodedString())") }
    check(depth(value) <= JSONParser.maximumDepth, "nesting \(depth(value)) passed the limit \(JSONParser.maximumDepth)")

    // The encoder's output parses back to the same value, and encoding is then a fixed point.
    let encoded = value.encoded()
    check(!encoded.contains(0x0A) && !encoded.contains(0x0D), "the encoding contains a raw line break")
    do throws(JSONParseError) {
        let reparsed = try JSONParser.parse(encoded)
        check(sameJSON(reparsed, value), "the encoding parses back to a different value")
        check(reparsed.encoded() == encoded, "encoding is not stable")
    } catch {
        fatalError("JSON input invariant broken: the encoder's output does not parse: \(error)")
    }
    fuzzInputTypes(value)
    return 0
}
