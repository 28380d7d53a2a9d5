import Foundation
import Testing

@testable import SGN

/// Large inputs take parallel paths (the `players` array parsed in chunks, players decoded in
/// chunks); these must give exactly the serial results and the serial errors.
@Suite("Large inputs: parallel reading equals serial reading")
struct LargeInputTests {
    /// A game of `n` one-dimensional players in a ring, padded so the file passes the parallel
    /// parse threshold; `edit` may corrupt player k's text.
    static func ring(_ n: Int, edit: (Int, String) -> String = { $1 }) -> [UInt8] {
        let pad = String(repeating: "x", count: 400)
        var parts: [String] = []
        for k in 0..<n {
            let next = (k + 1) % n
            let text =
                #"{"name": "p\#(k)", "dim": 1, "hessian": [[2.5]], "coupling": {"p\#(next)": "#
                + #"[[-0.25]]}, "linear": [0.125]}"#
            parts.append(edit(k, text))
        }
        let json =
            #"{"name": "ring", "description": "\#(pad)\#(pad)", "kind": "quadratic", "#
            + #""players": [\#n\#(parts.joined(separator: ",\n"))]}"#
        var bytes = Array(json.utf8)
        // Pad with whitespace inside the document (before the final brace) to pass the threshold.
        let missing = max(0, JSONParser.parallelThreshold + 1024 - bytes.count)
        bytes.insert(contentsOf: repeatElement(UInt8(ascii: " "), count: missing), at: bytes.count - 1)
        return bytes
    }

    static func outcome(_ bytes: [UInt8], parallel: Bool) -> String {
        do {
            return "ok \(try JSONParser.parse(bytes, parallel: parallel).hashableDescription)"
        } catch {
            return "error \(error.path) | \(error)"
        }
    }

    @Test func parallelParseEqualsSerialParse() throws {
        let n = 20_000
        let good = Self.ring(n)
        #expect(good.count >= JSONParser.parallelThreshold)
        let parallel = try JSONParser.parse(good, parallel: true)
        let serial = try JSONParser.parse(good, parallel: false)
        #expect(parallel == serial)
        guard case let .array(items)? = parallel["players"] else {
            Issue.record("no players")
            return
        }
        #expect(items.count == n)
        // Corruptions in early, middle and late chunks, and at the array's end.
        let edits: [(Int, (String) -> String)] = [
            (3, { $0.replacingOccurrences(of: "2.5", with: "2.5.1") }),
            (9_000, { $0.replacingOccurrences(of: "\"dim\": 1,", with: "\"dim\": 1 \"x\": 2,") }),
            (12_345, { $0.replacingOccurrences(of: "[[2.5]]", with: "[[2.5]") }),
            (15_000, { $0.replacingOccurrences(of: "\"linear\"", with: "\"linear\": 1, \"linear\"") }),
            (17_000, { $0.replacingOccurrences(of: "0.125", with: "NaN") }),
            (n - 1, { $0 + "," }),
            (n - 1, { String($0.dropLast()) }),
        ]
        for (k, edit) in edits {
            let bad = Self.ring(n) { i, text in i == k ? edit(text) : text }
            let p = Self.outcome(bad, parallel: true)
            let s = Self.outcome(bad, parallel: false)
            #expect(p.hasPrefix("error"), "player \(k): \(p.prefix(200))")
            #expect(p == s, "player \(k)")
        }
    }

    @Test func parallelDecodeReportsTheFirstBadPlayer() throws {
        let n = 9_000
        // Two bad players in different chunks: the earlier one is reported.
        let bad = Self.ring(n) { i, text in
            i == 8_500
                ? text.replacingOccurrences(of: "\"p8501\"", with: "\"nobody\"")
                : i == 7_000 ? text.replacingOccurrences(of: "[[-0.25]]", with: "[[-0.25, 1]]") : text
        }
        #expect(throws: InputError.self) { try GameReader.decode(bytes: bad) }
        do {
            _ = try GameReader.decode(bytes: bad)
        } catch {
            #expect(error.path == "players[7000].coupling.p7001")
            #expect(error.message == "expected 1x1 matrix, got 1x2")
        }
        let game = try GameReader.decode(bytes: Self.ring(n)) as! QuadraticGame
        #expect(game.players.count == n)
        #expect(game.jacobian.offDiagonal[8_999].map(\.col) == [0])
        #expect(game.jacobian.offDiagonal[17].first?.block.values == [-0.25])
        #expect(game.players[42].linear == [0.125])
    }

    @Test func entryLimitIsCheckedBeforeParallelDecoding() {
        // One player claims 10000² entries through a scalar Hessian; with the others the total
        // crosses the limit, which the serial path reports at the exact block.
        let bytes = Self.ring(9_000) { i, text in
            switch i {
            case 8_998: return text.replacingOccurrences(of: "\"coupling\": {\"p8999\": [[-0.25]]}, ", with: "")
            case 8_999: return #"{"name": "p8999", "dim": 10000, "hessian": 1}"#
            default: return text
            }
        }
        do {
            _ = try GameReader.decode(bytes: bytes)
            Issue.record("accepted a game over the entry limit")
        } catch {
            #expect(error.message.hasPrefix("the game's blocks need more than 100000000 matrix entries"), "\(error)")
            #expect(error.path == "players[8999].hessian")
        }
    }
}

extension JSONValue {
    /// A compact, order-preserving rendering for comparisons in messages.
    var hashableDescription: String { JSONWriter.write(self) }
}

/// The parser's exact fast path for short decimals must give the very double `Double(String)`
/// gives (Clinger: at most 15 significant digits and |exponent| ≤ 22 are exact in one operation).
@Suite("Number parsing")
struct NumberParsingTests {
    static func parsed(_ text: String) throws -> Double {
        guard case let .array(items) = try JSONParser.parse(Array("[\(text)]".utf8)), case let .number(x) = items[0]
        else {
            throw InputError(message: "not a number")
        }
        return x
    }

    @Test func fastPathMatchesTheGeneralConversion() throws {
        var rng = SeededGenerator(seed: 42)
        var texts = [
            "0", "-0", "0.0", "1", "-1", "0.1", "0.3", "2.5e-3", "1e22", "1e23", "9007199254740993",
            "123456789012345", "1234567890123456", "0.000000000000000000001", "4.9e-324", "1.7976931348623157e308",
            "0.07083197833071653", "-0.0699617", "1E+2", "1e-22", "1.5e-23", "999999999999999e22",
        ]
        for _ in 0..<20_000 {
            let digits = Int(rng.uniform(1, 17))
            var mantissa = ""
            for k in 0..<digits { mantissa += String(Int(rng.uniform(k == 0 ? 1 : 0, 10))) }
            let point = Int(rng.uniform(0, Double(digits)))
            var text = point == 0 ? mantissa : String(mantissa.prefix(point)) + "." + mantissa.dropFirst(point)
            if rng.uniform(0, 1) < 0.3 { text += "e\(Int(rng.uniform(-30, 30)))" }
            if rng.uniform(0, 1) < 0.5 { text = "-" + text }
            texts.append(text)
        }
        for text in texts {
            let expected = Double(text)!
            let got = try Self.parsed(text)
            #expect(got.bitPattern == expected.bitPattern, "\(text): \(got) vs \(expected)")
        }
    }
}
