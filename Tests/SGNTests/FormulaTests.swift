import Foundation
import Testing

@testable import SGN

/// The formula language of smooth games (Sources/SGN/Formula): parsing with columns, limits,
/// evaluation on Double / Interval / HyperDual, second derivatives against closed forms and
/// finite differences.
@Suite("Formulas: parser, limits, hyper-dual second derivatives")
struct FormulaTests {
    static let scope = FormulaScope(
        players: [
            .init(name: "q1", dim: 1, offset: 0), .init(name: "q2", dim: 1, offset: 1),
            .init(name: "q3", dim: 1, offset: 2),
            .init(name: "v", dim: 2, offset: 3),
        ],
        parameters: ["a": 10, "b": 1, "c": 1])

    static func parse(_ s: String) throws(FormulaError) -> Formula { try Formula.parse(s, scope: scope) }

    static func error(_ s: String) -> FormulaError? {
        do {
            _ = try parse(s)
            return nil
        } catch { return error }
    }

    @Test func precedenceAndAssociativity() throws {
        let x: [Double] = [2, 3, 5, 7, 11]
        #expect(try Self.parse("-q1^2").evaluate(x) == -4)
        #expect(try Self.parse("2^3^2").evaluate(x) == 512)
        #expect(try Self.parse("q1 - q2 - q3").evaluate(x) == -6)
        #expect(try Self.parse("q3 / q1 / q1").evaluate(x) == 1.25)
        #expect(try Self.parse("a - b*(q1+q2)*c").evaluate(x) == 5)
        #expect(try Self.parse("v[0]*v[1] + 2^-1").evaluate(x) == 77.5)
        #expect(try Self.parse("q1^1.5").evaluate(x) == pow(2, 1.5))
        #expect(
            try Self.parse("q1^q2").evaluate(x) == 8.000000000000002
                || abs(try Self.parse("q1^q2").evaluate(x) - 8) < 1e-12)
        #expect(try Self.parse("sigmoid(0) + softplus(0) + tanh(0) + log1p(0)").evaluate(x) == 0.5 + log(2))
        #expect(try Self.parse("1.5e1 + .5").evaluate(x) == 15.5)
        let f = try Self.parse("q1*q3 + exp(q2)")
        #expect(f.variables == [0, 1, 2])
    }

    @Test func errorsNameTheColumn() {
        let e = Self.error("q1 + q2 * q4")
        #expect(e?.column == 11)
        #expect(e?.message == "unknown variable 'q4' (players: q1, q2, q3, v[0..1]; parameters: a, b, c)")
        #expect(Self.error("abs(q1)")?.message.hasPrefix("non-smooth function 'abs'") == true)
        #expect(Self.error("max(q1, q2)")?.column == 1)
        #expect(Self.error("foo(q1)")?.message.hasPrefix("unknown function 'foo'") == true)
        #expect(Self.error("(q1 + q2")?.column == 9)
        #expect(Self.error("q1 + q2)")?.column == 8)
        #expect(Self.error("q1 + nan")?.message == "'nan' is not a number: formulas take finite numbers only")
        #expect(Self.error("exp + 1")?.message == "'exp' is a function: expected '(' after it")
        #expect(Self.error("v + 1")?.column == 1)
        #expect(Self.error("v[2]")?.column == 2)
        #expect(Self.error("2q1")?.column == 2)
        #expect(Self.error("1e999")?.column == 1)
        #expect(Self.error("q1 ** 2")?.column == 4)
        #expect(Self.error("")?.message == "empty formula")
        #expect(Self.error("q1 $ q2")?.column == 4)
    }

    @Test func limitsStopHostileFormulasEarly() throws {
        let deep = String(repeating: "(", count: 10_000) + "q1" + String(repeating: ")", count: 10_000)
        #expect(Self.error(deep)?.message.contains("deeper than 200") == true)
        let minus = String(repeating: "-", count: 10_000) + "q1"
        #expect(Self.error(minus)?.message.contains("deeper than 200") == true)
        let huge = String(repeating: "q1+", count: 400_000) + "q1"
        #expect(Self.error(huge)?.message.contains("the limit is 65536") == true)
        let wide = String(repeating: "1+", count: 30_000) + "1"
        #expect(Self.error(wide)?.message.contains("more than 50000 nodes") == true)
        // Within the limits a long flat sum parses (no recursion per term).
        let flat = String(repeating: "q1+", count: 10_000) + "q1"
        #expect(try Self.parse(flat).evaluate([1.0, 0, 0, 0, 0]) == 10_001)
    }

    /// Hyper-dual second derivatives against closed forms.
    @Test func secondDerivativesMatchClosedForms() throws {
        // f = q1² q2 + sin(q1 q2) + exp(q3)/q1: f_{q1 q2} = 2 q1 + cos(q1 q2) − q1 q2 sin(q1 q2).
        let f = try Self.parse("q1^2*q2 + sin(q1*q2) + exp(q3)/q1")
        let x = [0.7, -1.3, 0.4, 0, 0]
        func h(_ i: Int, _ j: Int) -> Double {
            let hx = x.indices.map { k in
                HyperDual<Double>(x[k], k == i ? 1 : 0, k == j ? 1 : 0, 0)
            }
            return f.evaluate(hx).d
        }
        let q1 = x[0]
        let q2 = x[1]
        let q3 = x[2]
        #expect(abs(h(0, 1) - (2 * q1 + cos(q1 * q2) - q1 * q2 * sin(q1 * q2))) < 1e-14)
        #expect(abs(h(0, 0) - (2 * q2 - q2 * q2 * sin(q1 * q2) + 2 * exp(q3) / (q1 * q1 * q1))) < 1e-12)
        #expect(abs(h(2, 0) - (-exp(q3) / (q1 * q1))) < 1e-14)
        #expect(abs(h(2, 2) - exp(q3) / q1) < 1e-14)
    }

    /// Every function's second derivative against central finite differences of the first.
    @Test func secondDerivativesMatchFiniteDifferences() throws {
        let formulas = [
            "tanh(q1*q2)", "sigmoid(q1 - 2*q2)", "softplus(q1*q2)", "log(1 + q1^2 + q2^2)", "log1p(q1^2)*q2",
            "sqrt(2 + q1*q2)", "cos(q1)^3*q2", "(1 + q1^2)^1.5 * q2", "q1/(1 + q2^2)", "(2 + q1)^(q2)",
        ]
        for text in formulas {
            let f = try Self.parse(text)
            let x = [0.3, 0.45, 0, 0, 0]
            func gradient(_ p: [Double], _ i: Int) -> Double {
                f.evaluate(p.indices.map { HyperDual<Double>(p[$0], $0 == i ? 1 : 0, 0, 0) }).b
            }
            for i in 0..<2 {
                for j in 0..<2 {
                    let exact = f.evaluate(
                        x.indices.map { HyperDual<Double>(x[$0], $0 == i ? 1 : 0, $0 == j ? 1 : 0, 0) }
                    ).d
                    let step = 1e-5
                    var up = x
                    var down = x
                    up[j] += step
                    down[j] -= step
                    let fd = (gradient(up, i) - gradient(down, i)) / (2 * step)
                    #expect(abs(exact - fd) < 1e-7 * max(1, abs(exact)), "\(text) d2/d\(i)d\(j): \(exact) vs \(fd)")
                }
            }
        }
    }

    /// Over intervals the hyper-dual parts enclose the point second derivatives on the whole box.
    @Test func intervalHyperDualEnclosesPointDerivatives() throws {
        let f = try Self.parse("tanh(q1*q2) + q1^4*sigmoid(q2) + sqrt(3 + q1)*log(2 + q2)")
        let box = [Interval(lower: -0.5, upper: 0.8), Interval(lower: -0.2, upper: 0.6)]
        let enclosure = f.evaluate([
            HyperDual<Interval>(box[0], Interval(1), Interval(0), Interval(0)),
            HyperDual<Interval>(box[1], Interval(0), Interval(1), Interval(0)),
            HyperDual<Interval>(0), HyperDual<Interval>(0), HyperDual<Interval>(0),
        ])
        var g = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let p = [g.uniform(box[0].lower, box[0].upper), g.uniform(box[1].lower, box[1].upper), 0, 0, 0]
            let v = f.evaluate(p.indices.map { HyperDual<Double>(p[$0], $0 == 0 ? 1 : 0, $0 == 1 ? 1 : 0, 0) })
            #expect(
                enclosure.a.contains(v.a) && enclosure.b.contains(v.b) && enclosure.c.contains(v.c)
                    && enclosure.d.contains(v.d))
        }
    }

    @Test func domainCheckNamesTheOperation() throws {
        let box = [
            Interval(lower: -1, upper: 1), Interval(lower: 0.5, upper: 2), Interval(0), Interval(0), Interval(0),
        ]
        #expect(try Self.parse("q2 / q1").checkDomain(on: box)?.column == 4)
        #expect(try Self.parse("q2 + log(q1)").checkDomain(on: box)?.message.hasPrefix("log of a quantity") == true)
        #expect(try Self.parse("sqrt(q1 + 1)").checkDomain(on: box)?.column == 1)
        #expect(try Self.parse("q1^1.5").checkDomain(on: box)?.column == 3)
        #expect(try Self.parse("exp(exp(exp(q2*1000)))").checkDomain(on: box)?.message.hasPrefix("overflow") == true)
        #expect(try Self.parse("q1^2 / q2 + log(q2) + sqrt(q2) + q2^1.5").checkDomain(on: box) == nil)
    }
}
