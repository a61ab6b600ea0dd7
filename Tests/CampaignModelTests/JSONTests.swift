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

    @Test func rejectsInvalidUTF8EitherSideOfAnEscape() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x5C, 0x6E, 0xA9, 0x22]) }
        // A scalar split by an escape is two broken halves, not one "é".
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x5C, 0x2F, 0xA9, 0x22]) }
    }

    @Test func keepsPlainRunsBetweenEscapesInOrder() throws {
        let text = #""abc\\def\"ghi\u00e9jkl\n""#
        #expect(try JSONParser.parse(text) == .string("abc\\def\"ghiéjkl\n"))
    }

    @Test func parsesALongStringWithoutEscapes() throws {
        let filler = String(repeating: "x", count: 1_048_576)
        #expect(try JSONParser.parse("{\"description\":\"\(filler)\"}") == ["description": .string(filler)])
    }

    @Test func reportsWhereAControlCharacterStopsAString() {
        do {
            _ = try JSONParser.parse([0x22, 0x61, 0x5C, 0x6E, 0x0A, 0x22])
            Issue.record("a raw newline inside a string was accepted")
        } catch {
            #expect(error.message == "control character in string")
            #expect(error.offset == 4)
        }
    }
}
