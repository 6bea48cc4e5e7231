import Foundation
import Testing

@testable import LearningLog

/// The JSON and CSV readers are strict: RFC 8259 JSON (the `n_` files of the JSONTestSuite
/// refused, by the store's parser and by import alike), RFC 4180 CSV, and every refusal names
/// where: line, column and field for JSON, row, line and column for CSV.
@Suite struct StrictParserTests {
  /// `n_` cases of the JSONTestSuite (name, bytes): each must be refused.
  static let mustRefuse: [(String, [UInt8])] = {
    var cases: [(String, String)] = [
      ("n_array_1_true_without_comma", "[1 true]"),
      ("n_array_colon_instead_of_comma", "[\"\": 1]"),
      ("n_array_comma_after_close", "[\"\"],"),
      ("n_array_comma_and_number", "[,1]"),
      ("n_array_double_comma", "[1,,2]"),
      ("n_array_double_extra_comma", "[\"x\",,]"),
      ("n_array_extra_close", "[\"x\"]]"),
      ("n_array_extra_comma", "[\"\",]"),
      ("n_array_incomplete", "[\"x\""),
      ("n_array_incomplete_invalid_value", "[x"),
      ("n_array_inner_array_no_comma", "[3[4]]"),
      ("n_array_items_separated_by_semicolon", "[1:2]"),
      ("n_array_just_comma", "[,]"),
      ("n_array_just_minus", "[-]"),
      ("n_array_missing_value", "[   , \"\"]"),
      ("n_array_newlines_unclosed", "[\"a\",\n4\n,1,"),
      ("n_array_number_and_comma", "[1,]"),
      ("n_array_number_and_several_commas", "[1,,]"),
      ("n_array_spaces_vertical_tab_formfeed", "[\"\u{0B}a\"\\f]"),
      ("n_array_star_inside", "[*]"),
      ("n_array_unclosed", "[\"\""),
      ("n_array_unclosed_trailing_comma", "[1,"),
      ("n_array_unclosed_with_new_lines", "[1,\n1\n,1"),
      ("n_array_unclosed_with_object_inside", "[{}"),
      ("n_incomplete_false", "[fals]"),
      ("n_incomplete_null", "[nul]"),
      ("n_incomplete_true", "[tru]"),
      ("n_number_++", "[++1234]"),
      ("n_number_+1", "[+1]"),
      ("n_number_+Inf", "[+Inf]"),
      ("n_number_-01", "[-01]"),
      ("n_number_-1.0.", "[-1.0.]"),
      ("n_number_-2.", "[-2.]"),
      ("n_number_-NaN", "[-NaN]"),
      ("n_number_.-1", "[.-1]"),
      ("n_number_.2e-3", "[.2e-3]"),
      ("n_number_0.1.2", "[0.1.2]"),
      ("n_number_0.3e+", "[0.3e+]"),
      ("n_number_0.3e", "[0.3e]"),
      ("n_number_0.e1", "[0.e1]"),
      ("n_number_0_capital_E+", "[0E+]"),
      ("n_number_0_capital_E", "[0E]"),
      ("n_number_0e+", "[0e+]"),
      ("n_number_0e", "[0e]"),
      ("n_number_1.0e+", "[1.0e+]"),
      ("n_number_1.0e-", "[1.0e-]"),
      ("n_number_1.0e", "[1.0e]"),
      ("n_number_1_000", "[1 000.0]"),
      ("n_number_1eE2", "[1eE2]"),
      ("n_number_2.e+3", "[2.e+3]"),
      ("n_number_2.e-3", "[2.e-3]"),
      ("n_number_2.e3", "[2.e3]"),
      ("n_number_9.e+", "[9.e+]"),
      ("n_number_Inf", "[Inf]"),
      ("n_number_NaN", "[NaN]"),
      ("n_number_U+FF11_fullwidth_digit_one", "[\u{FF11}]"),
      ("n_number_expression", "[1+2]"),
      ("n_number_hex_1_digit", "[0x1]"),
      ("n_number_hex_2_digits", "[0x42]"),
      ("n_number_infinity", "[Infinity]"),
      ("n_number_invalid+-", "[0e+-1]"),
      ("n_number_invalid-negative-real", "[-123.123foo]"),
      ("n_number_minus_infinity", "[-Infinity]"),
      ("n_number_minus_sign_with_trailing_garbage", "[-foo]"),
      ("n_number_minus_space_1", "[- 1]"),
      ("n_number_neg_int_starting_with_zero", "[-012]"),
      ("n_number_neg_real_without_int_part", "[-.123]"),
      ("n_number_neg_with_garbage_at_end", "[-1x]"),
      ("n_number_real_garbage_after_e", "[1ea]"),
      ("n_number_real_without_fractional_part", "[1.]"),
      ("n_number_starting_with_dot", "[.123]"),
      ("n_number_with_alpha", "[1.2a-3]"),
      ("n_number_with_alpha_char", "[1.8011670033376514H-308]"),
      ("n_number_with_leading_zero", "[012]"),
      ("n_object_bad_value", "[\"x\", truth]"),
      ("n_object_bracket_key", "{[: \"x\"}\n"),
      ("n_object_comma_instead_of_colon", "{\"x\", null}"),
      ("n_object_double_colon", "{\"x\"::\"b\"}"),
      ("n_object_emoji", "{\u{1F1E8}\u{1F1ED}}"),
      ("n_object_garbage_at_end", "{\"a\":\"a\" 123}"),
      ("n_object_key_with_single_quotes", "{key: 'value'}"),
      ("n_object_missing_colon", "{\"a\" b}"),
      ("n_object_missing_key", "{:\"b\"}"),
      ("n_object_missing_semicolon", "{\"a\" \"b\"}"),
      ("n_object_missing_value", "{\"a\":"),
      ("n_object_no-colon", "{\"a\""),
      ("n_object_non_string_key", "{1:1}"),
      ("n_object_non_string_key_but_huge_number_instead", "{9999E9999:1}"),
      ("n_object_repeated_null_null", "{null:null,null:null}"),
      ("n_object_several_trailing_commas", "{\"id\":0,,,,,}"),
      ("n_object_single_quote", "{'a':0}"),
      ("n_object_trailing_comma", "{\"id\":0,}"),
      ("n_object_trailing_comment", "{\"a\":\"b\"}/**/"),
      ("n_object_trailing_comment_open", "{\"a\":\"b\"}/**//"),
      ("n_object_trailing_comment_slash_open", "{\"a\":\"b\"}//"),
      ("n_object_trailing_comment_slash_open_incomplete", "{\"a\":\"b\"}/"),
      ("n_object_two_commas_in_a_row", "{\"a\":\"b\",,\"c\":\"d\"}"),
      ("n_object_unquoted_key", "{a: \"b\"}"),
      ("n_object_unterminated-value", "{\"a\":\"a"),
      ("n_object_with_single_string", "{ \"foo\" : \"bar\", \"a\" }"),
      ("n_object_with_trailing_garbage", "{\"a\":\"b\"}#"),
      ("n_single_space", " "),
      ("n_string_1_surrogate_then_escape", "[\"\\uD800\\\"]"),
      ("n_string_1_surrogate_then_escape_u", "[\"\\uD800\\u\"]"),
      ("n_string_1_surrogate_then_escape_u1", "[\"\\uD800\\u1\"]"),
      ("n_string_1_surrogate_then_escape_u1x", "[\"\\uD800\\u1x\"]"),
      ("n_string_accentuated_char_no_quotes", "[é]"),
      ("n_string_backslash_00", "[\"\\\u{0}\"]"),
      ("n_string_escape_x", "[\"\\x00\"]"),
      ("n_string_escaped_backslash_bad", "[\"\\\\\\\"]"),
      ("n_string_escaped_ctrl_char_tab", "[\"\\\t\"]"),
      ("n_string_escaped_emoji", "[\"\\\u{1F300}\"]"),
      ("n_string_incomplete_escape", "[\"\\\"]"),
      ("n_string_incomplete_escaped_character", "[\"\\u00A\"]"),
      ("n_string_incomplete_surrogate", "[\"\\uD834\\uDd\"]"),
      ("n_string_invalid_backslash_esc", "[\"\\a\"]"),
      ("n_string_invalid_unicode_escape", "[\"\\uqqqq\"]"),
      ("n_string_leading_uescaped_thinspace", "[\\u0020\"asd\"]"),
      ("n_string_no_quotes_with_bad_escape", "[\\n]"),
      ("n_string_single_doublequote", "\""),
      ("n_string_single_quote", "['single quote']"),
      ("n_string_single_string_no_double_quotes", "abc"),
      ("n_string_start_escape_unclosed", "[\"\\"),
      ("n_string_unescaped_ctrl_char", "[\"a\u{0}a\"]"),
      ("n_string_unescaped_newline", "[\"new\nline\"]"),
      ("n_string_unescaped_tab", "[\"\t\"]"),
      ("n_string_unicode_CapitalU", "\"\\UA66D\""),
      ("n_string_with_trailing_garbage", "\"\"x"),
      ("n_structure_angle_bracket_.", "<.>"),
      ("n_structure_angle_bracket_null", "[<null>]"),
      ("n_structure_array_trailing_garbage", "[1]x"),
      ("n_structure_array_with_extra_array_close", "[1]]"),
      ("n_structure_array_with_unclosed_string", "[\"asd]"),
      ("n_structure_ascii-unicode-identifier", "aå"),
      ("n_structure_capitalized_True", "[True]"),
      ("n_structure_close_unopened_array", "1]"),
      ("n_structure_comma_instead_of_closing_brace", "{\"x\": true,"),
      ("n_structure_double_array", "[][]"),
      ("n_structure_end_array", "]"),
      ("n_structure_no_data", ""),
      ("n_structure_null-byte-outside-string", "[\u{0}]"),
      ("n_structure_number_with_trailing_garbage", "2@"),
      ("n_structure_object_followed_by_closing_object", "{}}"),
      ("n_structure_object_unclosed_no_value", "{\"\":"),
      ("n_structure_object_with_comment", "{\"a\":/*comment*/\"b\"}"),
      ("n_structure_object_with_trailing_garbage", "{\"a\": true} \"x\""),
      ("n_structure_open_array_apostrophe", "['"),
      ("n_structure_open_array_comma", "[,"),
      ("n_structure_open_array_open_object", "[{"),
      ("n_structure_open_array_open_string", "[\"a"),
      ("n_structure_open_array_string", "[\"a\""),
      ("n_structure_open_object", "{"),
      ("n_structure_open_object_close_array", "{]"),
      ("n_structure_open_object_comma", "{,"),
      ("n_structure_open_object_open_array", "{["),
      ("n_structure_open_object_open_string", "{\"a"),
      ("n_structure_open_object_string_with_apostrophes", "{'a'"),
      ("n_structure_open_open", "[\"\\{[\"\\{[\"\\{[\"\\{"),
      ("n_structure_single_star", "*"),
      ("n_structure_trailing_#", "{\"a\":\"b\"}#{}"),
      ("n_structure_U+2060_word_joined", "[\u{2060}]"),
      ("n_structure_uescaped_LF_before_string", "[\\u000A\"\"]"),
      ("n_structure_unclosed_array", "[1"),
      ("n_structure_unclosed_array_partial_null", "[ false, nul"),
      ("n_structure_unclosed_array_unfinished_false", "[ true, fals"),
      ("n_structure_unclosed_array_unfinished_true", "[ false, tru"),
      ("n_structure_unclosed_object", "{\"asd\":\"asd\""),
      ("n_structure_unicode-identifier", "å"),
      ("n_structure_whitespace_formfeed", "[\u{0C}]"),
      ("n_structure_whitespace_U+2060_word_joiner", "[\u{2060}]"),
      ("n_structure_100000_opening_arrays", String(repeating: "[", count: 100_000)),
      ("n_structure_open_array_object", String(repeating: "[{\"\":", count: 50_000) + "\n"),
      ("n_multidigit_number_then_00", "123\u{0}"),
    ]
    // Cases that are not valid UTF-8 text, as bytes.
    var bytes: [(String, [UInt8])] = cases.map { ($0.0, Array($0.1.utf8)) }
    bytes += [
      ("n_array_a_invalid_utf8", [0x5B, 0x61, 0xE5, 0x5D]),
      ("n_array_invalid_utf8", [0x5B, 0xFF, 0x5D]),
      ("n_string_invalid_utf8_after_escape", [0x5B, 0x22, 0x5C, 0xE5, 0x22, 0x5D]),
      ("n_string_invalid-utf-8-in-escape", [0x5B, 0x22, 0x5C, 0x75, 0xE5, 0x22, 0x5D]),
      ("n_structure_incomplete_UTF8_BOM", [0xEF, 0xBB, 0x7B, 0x7D]),
      ("n_structure_lone-invalid-utf-8", [0xE5]),
      ("n_structure_single_eacute", [0xE9]),
      ("n_structure_UTF8_BOM_no_data", [0xEF, 0xBB, 0xBF]),
      ("n_number_invalid-utf-8-in-exponent", [0x5B, 0x31, 0x65, 0x31, 0xE5, 0x5D]),
      ("n_number_invalid-utf-8-in-int", [0x5B, 0x30, 0xE5, 0x5D]),
      // Policy (the suite's i_ files): invalid UTF-8 inside strings, lone surrogates and
      // numbers beyond a double are refused; a repeated member name is refused (ambiguous).
      ("i_string_invalid_utf-8", [0x5B, 0x22, 0xFF, 0x22, 0x5D]),
      ("i_string_lone_utf8_continuation_byte", [0x5B, 0x22, 0x81, 0x22, 0x5D]),
      ("i_string_overlong_sequence_2_bytes", [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D]),
      ("i_string_UTF-16LE_with_BOM", [0xFF, 0xFE, 0x5B, 0x00, 0x22, 0x00, 0x22, 0x00, 0x5D, 0x00]),
      ("i_string_1st_surrogate_but_2nd_missing", Array("[\"\\uDADA\"]".utf8)),
      ("i_string_lone_second_surrogate", Array("[\"\\uDFAA\"]".utf8)),
      ("i_string_invalid_surrogate", Array("[\"\\ud800abc\"]".utf8)),
      (
        "i_number_huge_exp",
        Array(
          "[0.4e00669999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999969999999006]"
            .utf8)
      ),
      ("i_number_real_pos_overflow", Array("[123123e100000]".utf8)),
      ("policy_object_duplicated_key", Array("{\"a\":\"b\",\"a\":\"c\"}".utf8)),
    ]
    return bytes
  }()

  /// `y_` cases (and the policy's accepted extras): each must parse.
  static let mustAccept: [(String, String)] = [
    ("y_array_empty", "[]"), ("y_array_with_several_null", "[1,null,null,null,2]"),
    ("y_number_negative_zero", "[-0]"), ("y_number_real_capital_e_pos_exp", "[1E+2]"),
    ("y_number_real_fraction_exponent", "[123.456e78]"), ("y_object_empty_key", "{\"\":0}"),
    ("y_object_escaped_null_in_key", "{\"foo\\u0000bar\": 42}"),
    ("y_string_accepted_surrogate_pair", "[\"\\uD801\\udc37\"]"),
    ("y_string_allowed_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
    ("y_string_unicode_U+2028_line_sep", "[\"\u{2028}\"]"), ("y_structure_lonely_null", "null"),
    ("y_structure_whitespace_array", " [] "), ("y_string_utf8", "[\"€𝄞\"]"),
    ("y_number_int_with_exp", "[20e1]"),
    (
      "y_object_long_strings",
      "{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"
    ),
  ]

  @Test(
    "every n_ case of the JSONTestSuite (and the i_ cases the policy refuses) is refused by the store's parser and by import"
  )
  func jsonConformanceRefusals() throws {
    var refused = 0
    for (name, bytes) in Self.mustRefuse {
      // The store's parser (every log line goes through it).
      let byStore: Bool
      do {
        _ = try JSONParser.parse(bytes, limits: ExchangeJSON.importLimits)
        byStore = false
      } catch { byStore = true }
      // Import, which also allows a leading byte order mark.
      var byImport = false
      do { _ = try ExchangeJSON.decode(Data(bytes)) } catch let e as DomainError {
        byImport = e.message.contains("not valid JSON: line ")
      }
      let bom = name == "n_structure_UTF8_BOM_no_data"
      #expect(byStore || bom, "the parser accepted \(name)")
      #expect(byImport, "import accepted \(name) or did not say where")
      if byImport { refused += 1 }
    }
    for (name, text) in Self.mustAccept {
      #expect(throws: Never.self, "\(name)") { _ = try ExchangeJSON.decode(Data(text.utf8)) }
      #expect(throws: Never.self, "\(name)") { _ = try JSONParser.parse(text) }
    }
    // A byte order mark before an export is accepted by import (editors write one).
    #expect(try ExchangeJSON.decode(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == [1])
    print(
      "strict JSON: \(refused) of \(Self.mustRefuse.count) n_/policy cases refused with line and "
        + "column, \(Self.mustAccept.count) y_ cases accepted")
  }

  @Test("a JSON error names the line, the column and the field")
  func jsonErrorsNameWhere() throws {
    let long = String(repeating: "x", count: 300_000)
    let text =
      "{\n  \"format\": \"learnlog-export\",\n  \"version\": 1,\n  \"incidents\": [\n"
      + "    {\"id\": \"a\"},\n    {\"id\": \"b\", \"title\": \"\(long)\"}\n  ]\n}\n"
    expectError("line 6, column") { _ = try ExchangeJSON.decode(Data(text.utf8)) }
    expectError("(incidents[2].title): a string is longer than 262144 bytes") {
      _ = try ExchangeJSON.decode(Data(text.utf8))
    }
    expectError("line 1, column 4 ([2]): unexpected character") {
      _ = try ExchangeJSON.decode(Data("[1,]".utf8))
    }
    expectError("line 2, column 9 (incidents[1]): expected a member name") {
      _ = try ExchangeJSON.decode(Data("{\"incidents\":\n[{\"a\":1,}]}".utf8))
    }
    // A hostile member name is shown escaped and cut.
    let hostileKey = "{\"\u{1B}]0;x\u{07}\(String(repeating: "k", count: 500))\": [1,]}"
    do {
      _ = try ExchangeJSON.decode(Data(hostileKey.utf8))
      Issue.record("accepted")
    } catch let e as DomainError {
      #expect(!e.message.contains("\u{1B}") && e.message.contains("\\u{1B}]0;x"))
      #expect(e.message.count < 400, "\(e.message.count)")
    }
  }

  static func export(version: String) -> Data {
    Data("{\"format\": \"learnlog-export\", \"version\": \(version), \"incidents\": []}".utf8)
  }

  @Test(
    "an export's version must be the integer 1",
    arguments: [
      ("\"1\"", "must be the integer 1, not \"1\""), ("1.0", "must be the integer 1, not 1.0"),
      ("true", "must be the integer 1, not true"), ("null", "must be the integer 1, not null"),
      ("0", "must be the integer 1, not 0"), ("-1", "must be the integer 1, not -1"),
      ("2", "newer version (2)"), ("[1]", "must be the integer 1, not [1]"),
    ])
  func versionMustBeAnInteger(version: String, message: String) throws {
    expectError(message) {
      _ = try Importer.json(Self.export(version: version), into: LearningState())
    }
  }

  @Test func versionOneAndAMissingVersion() throws {
    #expect(try Importer.json(Self.export(version: "1"), into: LearningState()).shared.isEmpty)
    expectError("has no \"version\"") {
      _ = try Importer.json(
        Data("{\"format\": \"learnlog-export\", \"incidents\": []}".utf8), into: LearningState())
    }
  }

  // MARK: - CSV

  static func importCSV(_ text: String) throws -> Plan {
    let h = Harness()
    return try Importer.csv(Data(text.utf8), into: h.state, context: h.context)
  }

  @Test(
    "CSV per RFC 4180: short and long rows, repeated columns and stray quotes are refused, naming row, line and column",
    arguments: [
      ("title,kind\nA\n", "CSV row 2 (line 2): 1 cell but the header has 2"),
      ("title,kind\nA,production,extra\n", "CSV row 2 (line 2): 3 cells but the header has 2"),
      ("title,kind,title\nA,production,B\n", "column 'title' appears twice (columns 1 and 3)"),
      (
        "title,kind\n\"a\"b,production\n",
        "CSV row 2 (line 2), column 1 ('title'): text after the closing quote"
      ),
      (
        "title,kind\nok,a\"b\n",
        "CSV row 2 (line 2), column 2 ('kind'): a quote inside an unquoted cell"
      ),
      (
        "title,what\n\"two\nlines\",x\nok,\"open\n",
        "CSV row 3 (line 4), column 2 ('what'): a quoted cell is never closed"
      ),
      ("title,kind\n\"a\" ,production\n", "text after the closing quote"),
      ("ti\"tle\nx\n", "CSV row 1 (line 1), column 1: a quote inside an unquoted cell"),
    ])
  func csvStrict(text: String, message: String) throws {
    expectError(message) { _ = try Self.importCSV(text) }
  }

  @Test func csvStillReadsWhatSpreadsheetsWrite() throws {
    // CRLF, quoted commas, doubled quotes, line breaks in cells, a BOM, blank lines, an empty
    // last cell.
    let text =
      "\u{FEFF}title,what,kind\r\n\"a, b\",\"say \"\"hi\"\"\",production\r\n\r\n\"multi\nline\",,\r\nlast,x,\r\n"
    let plan = try Self.importCSV(text)
    #expect(plan.shared.count == 3)
    #expect(try CSV.parse("a,\n") == [["a", ""]])
    #expect(try CSV.parse("\"\"") == [[""]])
  }

  @Test("every bound error of an import names the row or item and the field")
  func boundErrorsNameTheField() throws {
    let long = String(repeating: "é", count: 140_000)  // 280,000 bytes
    expectError(
      "CSV row 3 (line 3), column 2 ('what'): the cell is 280000 bytes, longer than 262144"
    ) {
      _ = try Self.importCSV("title,what\nok,fine\nok,\(long)\n")
    }
    let big = String(repeating: "x", count: 200_000)
    expectError("CSV row 2 (line 2): its cells hold") {
      _ = try Self.importCSV(
        "title,what,team,owner,tags,triggers\n\(big),\(big),\(big),\(big),\(big),\(big)\n")
    }
    func export(_ incident: String) -> Data {
      Data(
        ("{\"format\":\"learnlog-export\",\"version\":1,\"incidents\":[{\"id\":\"i1\",\"title\":\"t\","
          + "\"occurred\":\"2026-01-01\",\"kind\":\"production\",\"severity\":\"low\","
          + "\"status\":\"open\"\(incident)}]}").utf8)
    }
    expectError("incidents[1]: the item is") {
      _ = try Importer.json(
        export(
          ",\"what\":\"\(big)\",\"team\":\"\(big)\",\"owner\":\"\(big)\",\"tags\":[\"\(big)\",\"\(big)\",\"\(big)\"]"
        ),
        into: LearningState())
    }
    let longID = String(repeating: "i", count: 300)
    expectError("incidents[1]: field 'id' is 300 bytes, longer than 256") {
      _ = try Importer.json(
        Data(
          ("{\"format\":\"learnlog-export\",\"version\":1,\"incidents\":[{\"id\":\"\(longID)\","
            + "\"title\":\"t\",\"occurred\":\"2026-01-01\",\"kind\":\"production\","
            + "\"severity\":\"low\",\"status\":\"open\"}]}").utf8), into: LearningState())
    }
    expectError("(incidents[1].what): a string is longer than 262144 bytes") {
      _ = try Importer.json(export(",\"what\":\"\(long)\""), into: LearningState())
    }
  }

  @Test("import errors show a hostile cell escaped and cut, never raw")
  func importErrorsEchoSafely() throws {
    let hostile = "\u{1B}]0;PWNED\u{07}" + String(repeating: "z", count: 100_000)
    for text in [
      "title,kind\nok,\(hostile)\n", "title,severity\nok,\(hostile)\n",
      "title,occurred\nok,\(hostile)\n", "title,\(hostile)\nok,x\n",
    ] {
      do {
        _ = try Self.importCSV(text)
        Issue.record("accepted")
      } catch let e as DomainError {
        #expect(!e.message.unicodeScalars.contains { $0.value < 0x20 }, "\(e.message.prefix(80))")
        #expect(e.message.count < 500, "\(e.message.count) characters")
      }
    }
  }
}
