import CampaignModel
import Testing

@Suite struct JSONTests {
    @Test func roundTripsEveryKindOfValue() throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ newline \n tab \t control \u{01} é 😀",
            "int": 42, "negative": -7, "double": .double(1.5), "bool": true, "null": nil,
            "array": [1, "two", [3]], "object": ["nested": ["deep": false]],
        ]
        let encoded = value.encodedString()
        #expect(!encoded.contains("\n"), "encoded JSON never holds a raw newline")
        #expect(try JSONParser.parse(encoded) == value)
        #expect(encoded.contains(#""text":"quote \" backslash \\ newline \n tab \t control \u0001 é 😀""#))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "tru", "nul", "[1 2]",
        "{\"a\":1,\"a\":2}", "\"\\ud800\"", "1e", "{} {}", "\"unterminated",
    ])
    func rejectsMalformedInput(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONParser.parse(fine)) != nil)
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse("\"\\ud83d\\ude00\"") == .string("😀"))
    }
}
