import Foundation
import TestSupport

/// Parses Prometheus text with the reference Python client (`prometheus_client.parser`), in a
/// subprocess, so `/metrics` is checked by an implementation that shares no code with the server.
/// Its Python is the test virtualenv's (`TestPython`).
enum IndependentPrometheusParser {
    struct Family: Decodable {
        let type: String
        let samples: [Sample]
    }

    struct Sample: Decodable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Families by name, as that parser names them: a counter's family drops its `_total`.
    static func parse(_ exposition: String) async throws -> [String: Family] {
        // The exposition goes in through a file and the answer is read to its end before waiting, so
        // no pipe can fill up and stall either side.
        let inputURL = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try Data(exposition.utf8).write(to: inputURL)
        defer { try? FileManager.default.removeItem(at: inputURL) }
        let process = try await TestPython.run(["-c", script], input: inputURL)
        guard process.succeeded else {
            throw Failure(description: "prometheus_client refused the exposition: \(process.errors)")
        }
        let json = process.output
        return try JSONDecoder().decode([String: Family].self, from: json)
    }

    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = {}
        for family in text_string_to_metric_families(sys.stdin.read()):
            if family.name in families:
                sys.exit("family %s appears twice" % family.name)
            families[family.name] = {
                "type": family.type,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
            }
        json.dump(families, sys.stdout)
        """
}
