// The JSON error shape every 4xx/5xx answer must have (API.md): {"error":{"code","message","field"?,"current"?}}.
// Shared by the targets that produce responses (JWT refusals, the router).

import CampaignModel

/// Checks that `body` is exactly the error object: a non-empty `code` and `message`, an optional
/// string `field`, an optional object `current` (the task a 412 found), nothing else.
func checkErrorShape(_ body: [UInt8], _ what: @autoclosure () -> String) {
    guard let value = try? JSONParser.parse(body), case .object(let outer) = value, outer.members.count == 1,
        case .object(let error)? = value["error"]
    else {
        fatalError("\(fuzzTargetName) invariant broken: \(what()): the body is not {\"error\":{…}}: \(String(decoding: body.prefix(300), as: UTF8.self))")
    }
    for (name, member) in error.members {
        switch (name, member) {
        case ("code", .string(let text)), ("message", .string(let text)):
            check(!text.isEmpty, "\(what()): error.\(name) is empty")
        case ("field", .string), ("current", .object):
            continue
        default:
            check(false, "\(what()): unexpected error member \(name): \(member.encodedString())")
        }
    }
    check(error["code"] != nil && error["message"] != nil, "\(what()): error.code or error.message is missing")
}
