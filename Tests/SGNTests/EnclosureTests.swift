import Foundation
import Testing

@testable import SGN

/// The enclosure engine (Sources/SGN/Enclosure): every interval result contains every point
/// evaluation, rounding is outward, undefined operations give the entire line, interval solves
/// contain the solutions, and the PSD test accepts only positive definite interval matrices.
@Suite("Enclosures: interval arithmetic and interval linear algebra")
struct EnclosureTests {
    /// A random interval of modest width around a random centre.
    static func randomInterval(_ g: inout SeededGenerator, scale: Double = 3) -> Interval {
        let c = g.uniform(-scale, scale)
        let w = g.uniform(0, 1) * (g.next() & 1 == 1 ? 1 : 1e-6)
        return Interval(lower: c - w, upper: c + w)
    }

    /// Points of an interval: endpoints, midpoint and random interior points.
    static func points(_ x: Interval, _ g: inout SeededGenerator, count: Int = 12) -> [Double] {
        [x.lower, x.upper, x.value] + (0..<count).map { _ in g.uniform(x.lower, x.upper) }
    }

    /// Binary operations: containment of every sampled point result, on 3000 random pairs.
    @Test func arithmeticContainsEveryPointResult() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<3000 {
            let x = Self.randomInterval(&g)
            let y = Self.randomInterval(&g)
            let sum = x + y
            let difference = x - y
            let product = x * y
            let quotient = x / y
            for a in Self.points(x, &g, count: 4) {
                for b in Self.points(y, &g, count: 4) {
                    #expect(sum.contains(a + b))
                    #expect(difference.contains(a - b))
                    #expect(product.contains(a * b))
                    if !y.contains(0) { #expect(quotient.contains(a / b)) }
                }
            }
            if y.contains(0) { #expect(quotient == .entire) }
        }
    }

    /// Unary functions: containment at dense points (compared with the same library function,
    /// so this checks the endpoint logic, the monotonicity cases and the critical points of sin
    /// and cos), plus the range facts the functions must respect.
    @Test func functionsContainEveryPointValue() {
        var g = SeededGenerator(seed: 12)
        for _ in 0..<3000 {
            let x = Self.randomInterval(&g, scale: 8)
            let e = Interval.exp(x)
            let s = Interval.sin(x)
            let c = Interval.cos(x)
            let t = Interval.tanh(x)
            let sq = Interval.square(x)
            let cube = Interval.power(x, 3)
            let p4 = Interval.power(x, 4)
            let positive = Interval(lower: abs(x.lower) + 1e-3, upper: abs(x.lower) + 1e-3 + x.width)
            let l = Interval.log(positive)
            let r = Interval.squareRoot(positive)
            let l1 = Interval.log1p(positive)
            for v in Self.points(x, &g, count: 40) {
                #expect(e.contains(Foundation.exp(v)))
                #expect(s.contains(Foundation.sin(v)), "sin \(x) at \(v)")
                #expect(c.contains(Foundation.cos(v)), "cos \(x) at \(v)")
                #expect(t.contains(Foundation.tanh(v)))
                #expect(sq.contains(v * v))
                #expect(cube.contains(v * v * v))
                #expect(p4.contains(v * v * v * v))
            }
            for v in Self.points(positive, &g, count: 20) {
                #expect(l.contains(Foundation.log(v)))
                #expect(r.contains(v.squareRoot()))
                #expect(l1.contains(Foundation.log1p(v)))
            }
            #expect(sq.lower >= 0 && e.lower >= 0 && s.magnitude <= 1 && c.magnitude <= 1)
        }
    }

    /// Critical points: sin on [1, 2] contains π/2 so reaches 1; cos on [3, 3.3] contains π so
    /// reaches −1; a square of an interval containing 0 starts at 0 (x·x would not).
    @Test func criticalPointsAndEvenPowers() {
        #expect(Interval.sin(Interval(lower: 1, upper: 2)).upper == 1)
        #expect(Interval.sin(Interval(lower: 1, upper: 2)).lower < Foundation.sin(1))
        #expect(Interval.cos(Interval(lower: 3, upper: 3.3)).lower == -1)
        #expect(Interval.cos(Interval(lower: 0.1, upper: 0.2)).upper < 1)
        #expect(Interval.sin(Interval(lower: 0, upper: 7)) == Interval(lower: -1, upper: 1))
        let x = Interval(lower: -1, upper: 2)
        #expect(Interval.square(x).lower == 0)
        #expect((x * x).lower < 0)
        #expect(Interval.power(x, 2).lower == 0 && Interval.power(x, 2).upper >= 4)
    }

    /// Outward rounding is observed: 0.1 + 0.2 is not exactly 0.3 in double, and the point
    /// enclosure contains the exact sum's neighbours; exp(1) contains e and is a few ulps wide.
    @Test func outwardRoundingIsObserved() {
        let s = Interval(0.1) + Interval(0.2)
        #expect(s.lower < 0.1 + 0.2 && s.upper > 0.1 + 0.2)
        #expect(s.lower == (0.1 + 0.2).nextDown && s.upper == (0.1 + 0.2).nextUp)
        let e = Interval.exp(Interval(1))
        #expect(e.contains(M_E))
        #expect(e.upper - e.lower <= 10 * M_E.ulp)
        // 1/3 is not a double: the enclosure of 1 ÷ 3 has positive width around it.
        let third = Interval(1) / Interval(3)
        #expect(third.lower < third.upper && third.contains(1.0 / 3))
    }

    /// Undefined operations and NaN give the entire line, never a narrow wrong interval.
    @Test func undefinedGivesEntire() {
        #expect(Interval.log(Interval(lower: -1, upper: 1)) == .entire)
        #expect(Interval.squareRoot(Interval(lower: -1e-300, upper: 1)) == .entire)
        #expect(Interval.log1p(Interval(lower: -1, upper: 0)) == .entire)
        #expect(Interval(1) / Interval(lower: -1e-9, upper: 1) == .entire)
        #expect(Interval(lower: .nan, upper: 1) == .entire)
        #expect((Interval(.infinity) - Interval(.infinity)) == .entire)
    }

    /// Known identities hold in the enclosures: exp(log x) ∋ x, sin² + cos² ∋ 1, tanh(−x) = −tanh x.
    @Test func identitiesAreContained() {
        var g = SeededGenerator(seed: 13)
        for _ in 0..<500 {
            let v = g.uniform(0.01, 50)
            #expect(Interval.exp(Interval.log(Interval(v))).contains(v))
            let x = Interval(g.uniform(-20, 20))
            #expect((Interval.square(Interval.sin(x)) + Interval.square(Interval.cos(x))).contains(1))
            #expect(Interval.tanh(-x) == -Interval.tanh(x))
        }
    }

    /// Interval duals enclose value and derivative: f(x) = x·exp(x)/(1 + x²) on a box, derivative
    /// `exp(x)(1 + x + x² + x³ − 2x²)/(1 + x²)²`... checked against Dual at sampled points.
    @Test func intervalDualEnclosesDualNumbers() {
        func f<T: GradientScalar>(_ x: T) -> T { x * T.exponential(x) / (T(1) + x * x) - T.logarithm(T(2) + x * x) }
        var g = SeededGenerator(seed: 14)
        for _ in 0..<500 {
            let x = Self.randomInterval(&g, scale: 2)
            let v = g.uniform(-2, 2)
            let enclosure = f(IntervalDual(x, tangent: Interval(v)))
            for p in Self.points(x, &g, count: 10) {
                let d = f(Dual(p, tangent: v))
                #expect(enclosure.real.contains(d.value))
                #expect(enclosure.tangent.contains(d.tangent))
            }
        }
    }

    /// Interval hyper-duals enclose second derivatives: for f(x) = x·eˣ − log(2 + x²) + 1/(1 + x²),
    /// `f″(x) = (2 + x)eˣ − (4 − 2x²)/(2 + x²)² + (6x² − 2)/(1 + x²)³` (closed form) at every
    /// sampled point of random intervals, with both seeds 1; and the first parts match `Dual`.
    @Test func intervalHyperDualEnclosesSecondDerivatives() {
        func f<T: GradientScalar>(_ x: T) -> T {
            x * T.exponential(x) - T.logarithm(T(2) + x * x) + T(1) / (T(1) + x * x)
        }
        func second(_ x: Double) -> Double {
            (2 + x) * exp(x) - (4 - 2 * x * x) / ((2 + x * x) * (2 + x * x)) + (6 * x * x - 2) / pow(1 + x * x, 3)
        }
        var g = SeededGenerator(seed: 17)
        for _ in 0..<500 {
            let x = Self.randomInterval(&g, scale: 2)
            let e = f(IntervalHyperDual(x, first: Interval(1), second: Interval(1)))
            for p in Self.points(x, &g, count: 10) {
                let d = f(Dual(p, tangent: 1))
                #expect(e.real.contains(d.value) && e.first.contains(d.tangent) && e.second.contains(d.tangent))
                let exact = second(p)
                #expect(
                    e.mixed.lower <= exact + 1e-12 * max(1, abs(exact))
                        && exact - 1e-12 * max(1, abs(exact)) <= e.mixed.upper,
                    "\(x) at \(p): \(e.mixed) vs \(exact)")
            }
        }
    }

    /// Interval solves contain the floating solution of every sampled matrix and right-hand side
    /// (perturbations inside the intervals), for diagonally dominant random systems; a singular
    /// midpoint gives nil.
    @Test func intervalSolveContainsSolutions() {
        var g = SeededGenerator(seed: 15)
        for trial in 0..<200 {
            let n = 1 + trial % 5
            var mid = (0..<(n * n)).map { _ in g.uniform(-1, 1) }
            for i in 0..<n { mid[i * n + i] += Double(n) + 1 }
            let radius = trial % 2 == 0 ? 1e-3 : 1e-9
            let a = mid.map { Interval(lower: $0 - radius, upper: $0 + radius) }
            let bMid = (0..<n).map { _ in g.uniform(-2, 2) }
            let b = bMid.map { Interval(lower: $0 - radius, upper: $0 + radius) }
            guard let x = IntervalLinearAlgebra.solve(a, size: n, rhs: [b])?.first else {
                Issue.record("not proven non-singular: \(mid)")
                continue
            }
            for _ in 0..<20 {
                let ap = mid.map { $0 + g.uniform(-radius, radius) * 0.999 }
                let bp = bMid.map { $0 + g.uniform(-radius, radius) * 0.999 }
                let xp = LinearSolve.solve(ap, size: n, rhs: [bp])[0]
                for i in 0..<n {
                    // The floating solve has its own rounding error: allow it, not more.
                    let slack = 1e-12 * max(1, abs(xp[i]))
                    #expect(x[i].lower <= xp[i] + slack && xp[i] - slack <= x[i].upper)
                }
            }
            // The enclosure is tight: width of order the radius times the condition.
            #expect(x.allSatisfy { $0.width < 1e3 * radius + 1e-12 })
        }
        #expect(
            IntervalLinearAlgebra.solve(
                [Interval(1), Interval(2), Interval(2), Interval(4)], size: 2, rhs: [[Interval(1), Interval(1)]]) == nil
        )
        // Containing a singular matrix: no proof.
        let wide = [Interval(lower: 0, upper: 2), Interval(1), Interval(1), Interval(1)]
        #expect(IntervalLinearAlgebra.solve(wide, size: 2, rhs: [[Interval(1), Interval(1)]]) == nil)
    }

    /// Closed form: [[2, 1], [1, 2]] has eigenvalues 1 and 3. With radius ρ on every entry the
    /// interval matrix is PD iff 1 − 2ρ > 0 at worst (‖R‖₂ = 2ρ for the all-ρ matrix), so shifts
    /// below 1 − 2ρ (minus rounding) are accepted and shifts at or above 1 are refused, and the
    /// matrix [[1, 2], [2, 1]] (eigenvalue −1) is refused at any non-negative shift.
    @Test func positiveDefinitenessTest() {
        let rho = 0.01
        let m = [2.0, 1, 1, 2].map { Interval(lower: $0 - rho, upper: $0 + rho) }
        #expect(IntervalLinearAlgebra.provesPositiveDefinite(m, size: 2, shift: 0.97))
        #expect(!IntervalLinearAlgebra.provesPositiveDefinite(m, size: 2, shift: 0.99))
        #expect(!IntervalLinearAlgebra.provesPositiveDefinite(m, size: 2, shift: 1))
        #expect(!IntervalLinearAlgebra.provesPositiveDefinite([1.0, 2, 2, 1].map { Interval($0) }, size: 2))
        #expect(!IntervalLinearAlgebra.provesPositiveDefinite([Interval(1), .entire, .entire, Interval(1)], size: 2))
    }

    /// Random symmetric interval matrices the test accepts have every sampled member positive
    /// definite (smallest eigenvalue from LAPACK above the shift).
    @Test func acceptedMatricesArePositiveDefinite() throws {
        var g = SeededGenerator(seed: 16)
        var accepted = 0
        for trial in 0..<300 {
            let n = 1 + trial % 4
            var mid = Matrix(rows: n, cols: n)
            for i in 0..<n {
                for j in 0...i {
                    let v = g.uniform(-1, 1)
                    mid[i, j] = v
                    mid[j, i] = v
                }
            }
            for i in 0..<n { mid[i, i] += g.uniform(0, Double(n)) }
            let radius = g.uniform(0, 0.2)
            var m = [Interval](repeating: Interval(0), count: n * n)
            for i in 0..<n {
                for j in 0..<n { m[i * n + j] = Interval(lower: mid[i, j] - radius, upper: mid[i, j] + radius) }
            }
            guard IntervalLinearAlgebra.provesPositiveDefinite(m, size: n, shift: 0.05) else { continue }
            accepted += 1
            for _ in 0..<20 {
                var a = mid
                for i in 0..<n {
                    for j in 0...i {
                        let d = g.uniform(-radius, radius)
                        a[i, j] += d
                        if i != j { a[j, i] += d }
                    }
                }
                let lambda = try LAPACK.symmetricEigen(a).values[0]
                #expect(lambda > 0.05)
            }
        }
        #expect(accepted > 30)
    }
}
