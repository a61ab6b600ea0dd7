/// Relative weights of the routes, e.g. `create:25,update:40,move:15,read:20`.
struct LoadMix: Sendable, CustomStringConvertible {
    private(set) var weights: [LoadRoute: Int] = [.create: 25, .update: 40, .move: 15, .read: 20]

    init() {}

    init(parsing text: String) throws {
        weights = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: ":")
            guard pair.count == 2, let weight = Int(pair[1]), weight >= 0,
                  let route = ["create": LoadRoute.create, "update": .update, "move": .move, "read": .read][String(pair[0])] else {
                throw BenchError("--mix \(text): expected route:weight pairs from create, update, move, read (e.g. create:25,update:40,move:15,read:20)")
            }
            weights[route] = weight
        }
        guard weights.values.reduce(0, +) > 0 else { throw BenchError("--mix \(text): the weights add up to 0") }
    }

    /// Picks a route with probability proportional to its weight.
    func pick<Generator: RandomNumberGenerator>(using generator: inout Generator) -> LoadRoute {
        let total = weights.values.reduce(0, +)
        var ticket = Int.random(in: 0..<total, using: &generator)
        for route in LoadRoute.allCases {
            let weight = weights[route] ?? 0
            if ticket < weight { return route }
            ticket -= weight
        }
        return .read
    }

    var description: String {
        LoadRoute.allCases.map { "\($0):\(weights[$0] ?? 0)" }.joined(separator: ",")
    }
}
