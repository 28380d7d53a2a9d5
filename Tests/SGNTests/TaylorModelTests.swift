import Foundation
import Testing

@testable import SGN

/// Second-order Taylor models (Sources/SGN/Enclosure/TaylorModel.swift): every model contains
/// the exact value at every point of its box (closed-form functions, softmax, products, the
/// discounted solves and their derivatives, checked at sampled points against floating-point
/// evaluations), polynomial parts are exact where the function is a polynomial of degree ≤ 2,
/// and the remainder shrinks like the cube of the box's radius.
@Suite("Enclosures: Taylor models")
struct TaylorModelTests {
    /// The symbols' variables `x_k = c_k + r·ε_k`.
    static func variables(_ c: [Double], radius r: Double) -> [TaylorModel] {
        c.indices.map { k in
            var g = [Double](repeating: 0, count: k + 1)
            g[k] = r
            return TaylorModel(center: c[k], linear: g)
        }
    }

    /// `exp(x₀)·x₁/(1 + x₁²) − log(2 + x₀x₂) + softmax(x)₀`, written once over the scalar.
    static func composite<T: GradientScalar>(_ x: [T]) -> T {
        let one = T(1)
        let e = x.map { T.exponential($0) }
        let softmax = e[0] / (e[0] + e[1] + e[2])
        return T.exponential(x[0]) * x[1] / (one + x[1] * x[1]) - T.logarithm(T(2) + x[0] * x[2]) + softmax
    }

    /// Slack for comparing an enclosure with a floating-point evaluation of the same formula
    /// (whose own rounding is a few ulps).
    static func slack(_ v: Double) -> Double { 1e-13 * max(1, abs(v)) }

    @Test func closedFormsAreEnclosedAtEveryPoint() {
        var g = SeededGenerator(seed: 71)
        for trial in 0..<200 {
            let c = (0..<3).map { _ in g.uniform(-1, 1) }
            let r = trial % 2 == 0 ? 0.3 : 0.02
            let x = Self.variables(c, radius: r)
            let f = Self.composite(x)
            let product = x[0] * x[1] - x[2]
            for _ in 0..<40 {
                let eps = (0..<3).map { _ in g.next() % 4 == 0 ? (g.next() & 1 == 1 ? 1.0 : -1.0) : g.uniform(-1, 1) }
                let p = (0..<3).map { c[$0] + r * eps[$0] }
                let exact = Self.composite(p)
                let range = f.range
                #expect(range.lower - Self.slack(exact) <= exact && exact <= range.upper + Self.slack(exact))
                // The polynomial at ε plus the remainder, not only the range.
                var at = Interval(f.center) + f.remainder
                for (k, gk) in f.linear.enumerated() { at = at + Interval(gk) * Interval(eps[k]) }
                for k in 0..<3 {
                    for j in 0...k {
                        let q = TaylorModel.at(f.quadratic, TaylorModel.packed(j, k))
                        at = at + Interval(q) * (Interval(eps[j]) * Interval(eps[k]))
                    }
                }
                #expect(at.lower - Self.slack(exact) <= exact && exact <= at.upper + Self.slack(exact))
                let q = p[0] * p[1] - p[2]
                #expect(product.range.lower - Self.slack(q) <= q && q <= product.range.upper + Self.slack(q))
            }
            // x₀x₁ − x₂ is a polynomial of degree 2: only rounding in the remainder.
            #expect(product.remainder.width < 1e-14)
        }
    }

    /// Third-order remainders: halving the radius divides the remainder's width by about 8
    /// (at least 6 here, against 2 for an interval and 4 for a first-order model).
    @Test func remainderShrinksLikeTheCube() {
        let c = [0.3, -0.2, 0.5]
        var widths: [Double] = []
        for r in [0.1, 0.05, 0.025, 0.0125] {
            widths.append(Self.composite(Self.variables(c, radius: r)).remainder.width)
        }
        for k in 1..<widths.count { #expect(widths[k - 1] / widths[k] > 6) }
        #expect(widths[0] < 0.05)
    }

    /// Undefined operations give the entire line; nothing passes by accident.
    @Test func undefinedGivesEntire() {
        let x = Self.variables([0.05], radius: 0.1)[0]
        #expect(TaylorModel.reciprocal(x).remainder == .entire)
        #expect(TaylorModel.logarithm(x).remainder == .entire)
        #expect(TaylorModel.exponential(TaylorModel(center: 800, linear: [1])).remainder == .entire)
    }

    /// A discounted chain: three states, two mixture components per state with weights
    /// `softmax(θ_s)` of Taylor-model logits, random kernel rows and right-hand sides. The
    /// values `(I − γP)⁻¹b`, the occupancy `(I − γPᵀ)⁻¹b`, and (on `NestedDual<TaylorModel>`)
    /// their directional derivatives contain the floating-point solutions and the `Dual`
    /// derivatives at sampled points of the box, including the derivative's coupling
    /// `γP₁x` (`TaylorModel.discountedCoupling`).
    @Test(arguments: [false, true]) func discountedSolvesContainPointSolutions(_ transposed: Bool) {
        var g = SeededGenerator(seed: transposed ? 82 : 81)
        let n = 3
        let k = 2
        let gamma = 0.9
        var kernel = [Double](repeating: 0, count: n * k * n)
        for row in 0..<(n * k) {
            let w = (0..<n).map { _ in g.uniform(0.05, 1) }
            let total = w.reduce(0, +)
            for t in 0..<n { kernel[row * n + t] = w[t] / total }
        }
        let centre = (0..<(n * k)).map { _ in g.uniform(-1, 1) }
        let rewards = (0..<n).map { _ in g.uniform(-1, 1) }
        let r = 0.1
        /// The weights, the right-hand side (rewards times a weight) and the solution, generically.
        func solve<T: GradientScalar>(_ theta: [T]) -> [T] {
            var w: [T] = []
            for s in 0..<n {
                let e = (0..<k).map { T.exponential(theta[s * k + $0]) }
                let z = e[0] + e[1]
                w += e.map { $0 / z }
            }
            var m = [T](repeating: T(0), count: n * n)
            for s in 0..<n {
                m[s * n + s] = T(1)
                for a in 0..<k {
                    for t in 0..<n {
                        m[s * n + t] = m[s * n + t] - (gamma * kernel[(s * k + a) * n + t]) * w[s * k + a]
                    }
                }
            }
            let b = (0..<n).map { rewards[$0] * w[$0 * k] }
            return T.solveDiscounted(
                system: m, weights: w, kernel: kernel, discount: gamma, size: n, mixtures: k, rhs: [b],
                transposed: transposed, factors: nil)[0]
        }
        let x = Self.variables(centre, radius: r)
        let direction = (0..<(n * k)).map { _ in g.uniform(-1, 1) }
        let values = solve(x)
        let derivative = solve(x.indices.map { NestedDual(x[$0], tangent: TaylorModel(direction[$0])) })
        for _ in 0..<60 {
            let p = centre.map { $0 + r * g.uniform(-1, 1) }
            let exact = solve(p)
            let dual = solve(p.indices.map { Dual(p[$0], tangent: direction[$0]) })
            for s in 0..<n {
                let v = values[s].range
                #expect(v.lower - Self.slack(exact[s]) <= exact[s] && exact[s] <= v.upper + Self.slack(exact[s]))
                let d = derivative[s].tangent.range
                let e = dual[s].tangent
                #expect(d.lower - Self.slack(e) <= e && e <= d.upper + Self.slack(e))
            }
        }
        // Informative: the remainder is a fraction of the range (measured: at most 5% for the
        // values, 20% for the occupancy on this box of radius 0.1).
        for s in 0..<n { #expect(values[s].remainder.width < 0.25 * values[s].range.width) }
    }
}
