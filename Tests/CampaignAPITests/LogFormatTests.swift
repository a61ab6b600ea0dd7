import CampaignAPI
import Foundation
import Logging
import Synchronization
import Testing

/// LOG_FORMAT: every record is one line; as JSON each line is an object with time, level, label,
/// source, message and metadata, read back here by Foundation's independent JSON parser.
@Suite struct LogFormatTests {
    final class Sink: Sendable {
        private let lines = Mutex<[[UInt8]]>([])
        var all: [[UInt8]] { lines.withLock { $0 } }
        func append(_ line: [UInt8]) { lines.withLock { $0.append(line) } }
    }

    func logger(_ format: LogFormat, _ sink: Sink) -> Logger {
        Logger(label: "campaign-server") { label in
            ServerLogHandler(label: label, format: format, level: .trace, write: { sink.append($0) })
        }
    }

    @Test func jsonLinesParseWithEveryField() throws {
        let sink = Sink()
        var logger = logger(.json, sink)
        logger[metadataKey: "request.id"] = "abc-123"
        logger.info("[HTTP] listening", metadata: ["port": "3001"])
        logger.warning("[DB] odd \"quoted\"\nsecond line\u{1}", metadata: [
            "list": ["a", "b\"c"], "nested": ["inner": "ü ✓", "deeper": ["x": "1"]], "error": .stringConvertible(42),
        ])
        logger.debug("plain")
        let lines = sink.all
        #expect(lines.count == 3)
        var objects: [[String: Any]] = []
        for line in lines {
            #expect(line.last == 0x0A && !line.dropLast().contains(0x0A), "one line per record")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(Set(object.keys) == ["time", "level", "label", "source", "message", "metadata"])
            #expect(object["label"] as? String == "campaign-server")
            let time = try #require(object["time"] as? String)
            #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "time \(time)")
            objects.append(object)
        }
        #expect(objects[0]["level"] as? String == "info" && objects[0]["message"] as? String == "[HTTP] listening")
        let first = try #require(objects[0]["metadata"] as? [String: Any])
        #expect(first["port"] as? String == "3001" && first["request.id"] as? String == "abc-123")
        #expect(objects[1]["message"] as? String == "[DB] odd \"quoted\"\nsecond line\u{1}")
        let second = try #require(objects[1]["metadata"] as? [String: Any])
        #expect(second["list"] as? [String] == ["a", "b\"c"])
        let nested = try #require(second["nested"] as? [String: Any])
        #expect(nested["inner"] as? String == "ü ✓" && (nested["deeper"] as? [String: String]) == ["x": "1"])
        #expect(second["error"] as? String == "42")
        #expect(objects[2]["level"] as? String == "debug")
    }

    /// Text: the component tag once (swift-log's stream handler also printed the module: `[HTTP] [HTTP] listening`),
    /// and a newline in a message cannot start a forged record.
    @Test func textLinesNameTheComponentOnceAndStayOneLine() throws {
        let sink = Sink()
        let logger = logger(.text, sink)
        logger.info("[HTTP] listening", metadata: ["port": "3001"])
        logger.error("[API] request failed\n2026-01-01T00:00:00.000Z critical campaign-server: forged")
        let lines = sink.all.map { String(decoding: $0, as: UTF8.self) }
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().allSatisfy { $0 != "\n" } })
        #expect(lines[0].components(separatedBy: "[HTTP]").count == 2, "\(lines[0])")
        #expect(lines[0].contains("info campaign-server: [HTTP] listening port=3001"))
    }
}
