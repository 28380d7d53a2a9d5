/// Enclosures of the solutions of discounted Markov-chain systems that keep the chain's
/// stochastic structure (docs/enclosures.md, "Discounted systems"). Row s of the transition
/// matrix is a mixture `P(s, ·) = Σ_a w(s, a) K(s, a, ·)` of fixed probability vectors K (exact
/// doubles) with weights w(s, ·) that form a probability vector in exact arithmetic (the joint
/// action probabilities) but are known only as intervals. Entrywise interval arithmetic forgets
/// `Σ_a w(s, a) = 1` and `Σ_t P(s, t) = 1`; on a wide box the entrywise `I − γP` then contains
/// singular matrices and no interval solve succeeds. Here every product with a weight vector is
/// the exact range over the weights that *are* probability vectors (a linear programme solved by
/// its dual bound), so the value iteration keeps its contraction factor γ.
enum DiscountedSolve {
    /// The sweeps stop once one shrinks the total width by less than this fraction (every sweep
    /// is sound, so stopping early only costs tightness).
    static let sweepProgress = 1e-3
    /// An enclosure of `{Σ_a p_a y_a : p_a ∈ w_a, Σ_a p_a = 1, y_a ∈ y_a}`.
    ///
    /// For any real λ and any such p, `Σ p_a y_a = λ + Σ_a (y_a − λ) p_a`, and
    /// `(y_a − λ) p_a ≤ (ȳ_a − λ)·(hi_a if ȳ_a ≥ λ else lo_a)` (ȳ the upper ends, [lo, hi] the
    /// weight boxes clipped to [0, 1]), so every λ gives an upper bound (evaluated in interval
    /// arithmetic, its upper end taken); the greedy λ (fill the largest ȳ first) makes it the exact
    /// maximum. The lower end is the mirror image. Soundness needs only that the true weights lie
    /// in the boxes and sum to 1.
    static func mixture(_ w: [Interval], _ y: [Interval]) -> Interval {
        guard y.allSatisfy(\.isFinite), w.allSatisfy(\.isFinite) else { return .entire }
        let lo = w.map { Swift.max($0.lower, 0) }
        let hi = w.map { Swift.min($0.upper, 1) }
        func bound(_ v: [Double], upper: Bool) -> Double {
            // Greedy threshold: give the mass above the lower ends to the best values first.
            let order = v.indices.sorted { upper ? v[$0] > v[$1] : v[$0] < v[$1] }
            var rest = 1 - lo.reduce(0, +)
            var lambda = v[order.last!]
            for a in order {
                rest -= hi[a] - lo[a]
                if rest <= 0 {
                    lambda = v[a]
                    break
                }
            }
            var s = Interval(lambda)
            for a in v.indices {
                let better = upper ? v[a] >= lambda : v[a] <= lambda
                s = s + (Interval(v[a]) - Interval(lambda)) * Interval(better ? hi[a] : lo[a])
            }
            return upper ? s.upper : s.lower
        }
        let r = Interval(lower: bound(y.map(\.lower), upper: false), upper: bound(y.map(\.upper), upper: true))
        return r
    }

    /// An enclosure of `Σ_a p_a y_a` for weights p_a ∈ w_a that sum to 0 exactly (derivatives of
    /// probability vectors): `Σ_a p_a (y_a − λ)` for a λ at the centre of the y's, so the common
    /// part of the y's does not multiply the weights' width.
    static func balanced(_ w: [Interval], _ y: [Interval]) -> Interval {
        guard y.allSatisfy(\.isFinite) else { return .entire }
        let mids = y.map(\.value)
        let lambda = Interval(mids.min()! / 2 + mids.max()! / 2)
        var s = Interval(0)
        for a in w.indices { s = s + w[a] * (y[a] - lambda) }
        return s
    }

    /// The structure of one chain: `n` states, `k` mixture components per state, kernel rows at
    /// `kernel[(s·k + a)·n + t]`, discount γ < 1.
    struct Chain {
        let n: Int
        let k: Int
        let kernel: [Double]
        let gamma: Double

        /// `(K(s, a, ·) · x)` for every component a of state s (nonnegative point weights).
        func components(_ s: Int, _ x: [Interval]) -> [Interval] {
            (0..<k).map { a in
                let base = (s * k + a) * n
                var v = Interval(0)
                for t in 0..<n where kernel[base + t] != 0 { v = v + Interval(kernel[base + t]) * x[t] }
                return v
            }
        }

        /// `(K(s, a, t))_a` for one column t.
        func column(_ s: Int, _ t: Int) -> [Interval] {
            (0..<k).map { Interval(kernel[(s * k + $0) * n + t]) }
        }

        /// Row sums of the kernel rows, `kernel` as given (the input's rows sum to 1 only
        /// within a tolerance, so nothing below assumes they sum to exactly 1).
        var rowSums: [Interval] {
            (0..<(n * k)).map { r in (0..<n).reduce(Interval(0)) { $0 + Interval(kernel[r * n + $1]) } }
        }

        /// `1 − γ·max row sum` (a lower bound on `1 − ‖γP‖∞`); the a-priori bounds divide by it.
        var contraction: Interval {
            let rho = rowSums.reduce(0.0) { Swift.max($0, $1.upper) }
            let c = Interval(1) - Interval(gamma) * Interval(rho)
            return c.lower > 0 ? Interval(c.lower) : Interval(0)
        }

        /// The fixed point of `x(s) = b(s) + γ Σ_a w(s, a) K(s, a, ·)·x`, i.e. `(I − γP)x = b`
        /// with w(s, ·) probability vectors. Every x with `‖x‖∞ ≤ ‖b‖∞/(1 − γ)` contains the
        /// solution's box; each sweep (Gauss–Seidel order, intersected with the previous box) maps
        /// a box containing the solution to one containing it, with contraction factor γ.
        func values(weights w: [[Interval]], rhs b: [Interval]) -> [Interval] {
            // ‖x‖∞ ≤ ‖b‖∞/(1 − ‖γP‖∞)
            let bound = (b.reduce(Interval(0)) { $0.hull(Interval($1.magnitude)) } / contraction).upper
            guard bound.isFinite else { return [Interval](repeating: .entire, count: n) }
            var x = [Interval](repeating: Interval(lower: -bound, upper: bound), count: n)
            iterate(&x) { x, s in b[s] + gamma * DiscountedSolve.mixture(w[s], components(s, x)) }
            return x
        }

        /// An enclosure of the differences `y(t) = x(t) − x(0)` of the solution x of `values` (an
        /// enclosure `x` of it given): with `Σ_u P(t, u) x(u) = x(0)·Σ_u P(t, u) + Σ_u P(t, u) y(u)`,
        ///
        ///     y(t) = b(t) − b(0) + γ x(0)(Σ_u P(t, u) − Σ_u P(0, u)) + γ Σ_{u≥1} (P(t, u) − P(0, u)) y(u),
        ///
        /// each P entry and row sum enclosed as a mixture, iterated from `x(t) − x(0)` (every sweep
        /// maps a box containing y to one containing it). The differences of the rows of P are
        /// small where the states' policies are alike, so y stays of the width of b's differences
        /// where x itself carries 1/(1 − γ) times b's width.
        func differences(weights w: [[Interval]], rhs b: [Interval], values x: [Interval]) -> [Interval] {
            guard n > 1, x.allSatisfy(\.isFinite) else { return x.map { $0 - x[0] } }
            let sums = rowSums
            let mass = (0..<n).map { s in DiscountedSolve.mixture(w[s], Array(sums[(s * k)..<(s * k + k)])) }
            let p = (0..<n).map { s in (0..<n).map { t in DiscountedSolve.mixture(w[s], column(s, t)) } }
            var y = x.map { $0 - x[0] }
            y[0] = Interval(0)
            iterate(&y) { y, t in
                guard t > 0 else { return Interval(0) }
                var sum = x[0] * (mass[t] - mass[0])
                for u in 1..<n { sum = sum + (p[t][u] - p[0][u]) * y[u] }
                return b[t] - b[0] + gamma * sum
            }
            return y
        }

        /// The fixed point of `x(t) = b(t) + γ Σ_s x(s) P(s, t)` (the transposed system), with
        /// `P(s, t) = Σ_a w(s, a) K(s, a, t)` enclosed as a mixture. Uses the total
        /// `σ = Σ_t x(t) = (Σ b + γ Σ_s x(s) e_s)/(1 − γ)`, e_s = (row sum of P(s, ·)) − 1 (≈ 0):
        /// `Σ_s x(s)P(s, t) = λσ + Σ_s x(s)(P(s, t) − λ)` for any λ.
        /// Start: `‖x‖₁ ≤ ‖b‖₁/(1 − γ‖P‖∞)`, and `x ≥ b` when b ≥ 0 (then x ≥ 0).
        func occupancy(weights w: [[Interval]], rhs b: [Interval]) -> [Interval] {
            let l1 = (b.reduce(Interval(0)) { $0 + Interval($1.magnitude) } / contraction).upper
            guard l1.isFinite else { return [Interval](repeating: .entire, count: n) }
            let nonnegative = b.allSatisfy { $0.lower >= 0 }
            var x = (0..<n).map { t in
                nonnegative ? Interval(lower: b[t].lower, upper: l1) : Interval(lower: -l1, upper: l1)
            }
            let p = (0..<n).map { s in (0..<n).map { t in DiscountedSolve.mixture(w[s], column(s, t)) } }
            let sums = rowSums
            let excess = (0..<n).map { s in
                DiscountedSolve.mixture(w[s], Array(sums[(s * k)..<(s * k + k)])) - Interval(1)
            }
            let total = b.reduce(Interval(0), +)
            let discount = Interval(1) - Interval(gamma)
            let lambda = (0..<n).map { t in Interval(p.map { $0[t].value }.reduce(0, +) / Double(n)) }
            iterate(&x) { x, t in
                var leak = Interval(0)
                for s in 0..<n { leak = leak + x[s] * excess[s] }
                let sigma = (total + gamma * leak) / discount
                var sum = lambda[t] * sigma
                for s in 0..<n { sum = sum + x[s] * (p[s][t] - lambda[t]) }
                return b[t] + gamma * sum
            }
            return x
        }

        /// Sweeps `x[i] ← update(x, i) ∩ x[i]` until a sweep shrinks the total width by less than
        /// `sweepProgress` (relative) or 2000 sweeps. Every sweep keeps the solution inside (see the callers).
        private func iterate(_ x: inout [Interval], _ update: ([Interval], Int) -> Interval) {
            var width = x.reduce(0) { $0 + $1.width }
            for _ in 0..<2000 {
                for i in 0..<n { x[i] = update(x, i).intersection(x[i]) ?? x[i] }
                let w = x.reduce(0) { $0 + $1.width }
                if !(w < width * (1 - DiscountedSolve.sweepProgress)) { break }
                width = w
            }
        }

        /// Splits flat weights `w[s·k + a]` per state.
        func rows(_ w: [Interval]) -> [[Interval]] { (0..<n).map { Array(w[($0 * k)..<($0 * k + k)]) } }

        /// `(balanced-weight products)` for the values: `γ Σ_a w′(s, a) K(s, a, ·)·x` per state.
        /// With differences `y ∋ x − x(0)·1` (`differences`), also
        /// `γ(x(0)·Σ_a w′(s, a) r(s, a) + Σ_a w′(s, a) K(s, a, ·)·y)` (r the kernel row sums;
        /// Σ_a w′ = 0 removes x's common level, of width 1/(1 − γ) times b's), intersected.
        func valueCoupling(_ w: [[Interval]], _ x: [Interval], differences y: [Interval]? = nil) -> [Interval] {
            let sums = y == nil ? [] : rowSums
            return (0..<n).map { s in
                let direct = gamma * DiscountedSolve.balanced(w[s], components(s, x))
                guard let y else { return direct }
                let level = x[0] * DiscountedSolve.balanced(w[s], Array(sums[(s * k)..<(s * k + k)]))
                let centred = gamma * (level + DiscountedSolve.balanced(w[s], components(s, y)))
                return centred.intersection(direct) ?? direct
            }
        }

        /// `Σ_s x(s) P′(s, t)` per t, with `P′(s, t) = Σ_a w′(s, a) K(s, a, t)` (w′ sums to 0).
        func occupancyCoupling(_ w: [[Interval]], _ x: [Interval]) -> [Interval] {
            (0..<n).map { t in
                var sum = Interval(0)
                for s in 0..<n { sum = sum + x[s] * DiscountedSolve.balanced(w[s], column(s, t)) }
                return gamma * sum
            }
        }

        /// One solve of either orientation with the weights' real part.
        func solve(_ w: [[Interval]], _ b: [Interval], transposed: Bool) -> [Interval] {
            transposed ? occupancy(weights: w, rhs: b) : values(weights: w, rhs: b)
        }

        func coupling(_ w: [[Interval]], _ x: [Interval], transposed: Bool) -> [Interval] {
            transposed ? occupancyCoupling(w, x) : valueCoupling(w, x)
        }

        /// A solve with weights w (real parts) and right-hand side b, with the differences of the
        /// solution (values only; nil for the transposed system).
        func solveWithDifferences(_ w: [[Interval]], _ b: [Interval], transposed: Bool) -> (
            x: [Interval], y: [Interval]?
        ) {
            let x = solve(w, b, transposed: transposed)
            return (x, transposed ? nil : differences(weights: w, rhs: b, values: x))
        }

        /// `coupling`, using the differences of x when there are some.
        func coupling(_ w: [[Interval]], _ x: (x: [Interval], y: [Interval]?), transposed: Bool) -> [Interval] {
            transposed ? occupancyCoupling(w, x.x) : valueCoupling(w, x.x, differences: x.y)
        }
    }
}

extension Interval {
    /// The stochastic fixed-point enclosure of `DiscountedSolve` (`system` is not used).
    public static func solveDiscounted(
        system: [Interval], weights: [Interval], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, rhs: [[Interval]], transposed: Bool,
        factors: LUFactors?
    ) -> [[Interval]] {
        let chain = DiscountedSolve.Chain(n: n, k: k, kernel: kernel, gamma: discount)
        let w = chain.rows(weights)
        return rhs.map { chain.solve(w, $0, transposed: transposed) }
    }
}

extension IntervalDual {
    /// Differentiating `x = b + γ(P or Pᵀ)x`: `x₀` as for `Interval`, then
    /// `x₁ = b₁ + γP₁x₀ + γP₀x₁` — the same stochastic solve with the right-hand side
    /// `b₁ + γP₁x₀`, where P₁'s weights sum to 0.
    public static func solveDiscounted(
        system: [IntervalDual], weights: [IntervalDual], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, rhs: [[IntervalDual]], transposed: Bool,
        factors: LUFactors?
    ) -> [[IntervalDual]] {
        let chain = DiscountedSolve.Chain(n: n, k: k, kernel: kernel, gamma: discount)
        let w0 = chain.rows(weights.map(\.real))
        let w1 = chain.rows(weights.map(\.tangent))
        return rhs.map { b in
            let x0 = chain.solveWithDifferences(w0, b.map(\.real), transposed: transposed)
            let c = chain.coupling(w1, x0, transposed: transposed)
            let x1 = chain.solve(w0, (0..<n).map { b[$0].tangent + c[$0] }, transposed: transposed)
            return (0..<n).map { IntervalDual(x0.x[$0], tangent: x1[$0]) }
        }
    }
}

extension IntervalHyperDual {
    /// Differentiating `x = b + γ(P or Pᵀ)x` twice: `x₁ = b₁ + γP₁x₀ + γP₀x₁`, the same for 2,
    /// and `x₁₂ = b₁₂ + γ(P₁₂x₀ + P₁x₂ + P₂x₁) + γP₀x₁₂`; each a stochastic solve with P₀.
    public static func solveDiscounted(
        system: [IntervalHyperDual], weights: [IntervalHyperDual], kernel: [Double],
        discount: Double, size n: Int, mixtures k: Int, rhs: [[IntervalHyperDual]],
        transposed: Bool, factors: LUFactors?
    ) -> [[IntervalHyperDual]] {
        let chain = DiscountedSolve.Chain(n: n, k: k, kernel: kernel, gamma: discount)
        let w0 = chain.rows(weights.map(\.real))
        let w1 = chain.rows(weights.map(\.first))
        let w2 = chain.rows(weights.map(\.second))
        let w12 = chain.rows(weights.map(\.mixed))
        return rhs.map { b in
            let x = parts(chain, w0: w0, w1: w1, w2: w2, w12: w12, rhs: b, transposed: transposed)
            return (0..<n).map {
                IntervalHyperDual(x[0].x[$0], first: x[1].x[$0], second: x[2].x[$0], mixed: x[3].x[$0])
            }
        }
    }

    /// The four parts (real, first, second, mixed) of the solution, each with its differences
    /// (values only): the solves of `solveDiscounted`. With `given` (an enclosure of the four
    /// parts, from `solveDiscounted` with the same weights and right-hand side) no part is
    /// solved again: only the differences are formed.
    static func parts(
        _ chain: DiscountedSolve.Chain, w0: [[Interval]], w1: [[Interval]], w2: [[Interval]], w12: [[Interval]],
        rhs b: [IntervalHyperDual], transposed: Bool, given: [[Interval]]? = nil
    ) -> [(x: [Interval], y: [Interval]?)] {
        let n = chain.n
        func add(_ xs: [Interval]...) -> [Interval] { (0..<n).map { i in xs.reduce(Interval(0)) { $0 + $1[i] } } }
        var part = 0
        func solve(_ w: [[Interval]], _ rhs: [Interval], transposed: Bool) -> (x: [Interval], y: [Interval]?) {
            defer { part += 1 }
            guard let given else { return chain.solveWithDifferences(w, rhs, transposed: transposed) }
            let x = given[part]
            return (x, transposed ? nil : chain.differences(weights: w, rhs: rhs, values: x))
        }
        let x0 = solve(w0, b.map(\.real), transposed: transposed)
        let x1 = solve(
            w0, add(b.map(\.first), chain.coupling(w1, x0, transposed: transposed)), transposed: transposed)
        let x2 = solve(
            w0, add(b.map(\.second), chain.coupling(w2, x0, transposed: transposed)), transposed: transposed)
        let x12 = solve(
            w0,
            add(
                b.map(\.mixed), chain.coupling(w12, x0, transposed: transposed),
                chain.coupling(w1, x2, transposed: transposed),
                chain.coupling(w2, x1, transposed: transposed)), transposed: transposed)
        return [x0, x1, x2, x12]
    }

    /// `γP₁x` with hyper-dual weights: part by part, `(W ⊙ X)` has real `W₀X₀`, first
    /// `W₁X₀ + W₀X₁`, second `W₂X₀ + W₀X₂`, mixed `W₁₂X₀ + W₁X₂ + W₂X₁ + W₀X₁₂`; every part of
    /// the tangent weights W sums to 0 per state (each is a derivative of the joint probability
    /// vector), so each product is a coupling of `DiscountedSolve` with the differences of the
    /// matching part of x (formed here from the weights and the right-hand side).
    public static func discountedCoupling(
        tangentWeights: [IntervalHyperDual], weights: [IntervalHyperDual], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, solution: [IntervalHyperDual], rhs: [IntervalHyperDual], transposed: Bool
    ) -> [IntervalHyperDual] {
        let chain = DiscountedSolve.Chain(n: n, k: k, kernel: kernel, gamma: discount)
        let given: [[Interval]] = [
            solution.map(\.real), solution.map(\.first), solution.map(\.second), solution.map(\.mixed),
        ]
        let xs = parts(
            chain, w0: chain.rows(weights.map(\.real)), w1: chain.rows(weights.map(\.first)),
            w2: chain.rows(weights.map(\.second)), w12: chain.rows(weights.map(\.mixed)), rhs: rhs,
            transposed: transposed, given: given)
        let w = [
            tangentWeights.map(\.real), tangentWeights.map(\.first), tangentWeights.map(\.second),
            tangentWeights.map(\.mixed),
        ].map { chain.rows($0) }
        func c(_ wp: Int, _ xp: Int) -> [Interval] { chain.coupling(w[wp], xs[xp], transposed: transposed) }
        func add(_ parts: [Interval]...) -> [Interval] {
            (0..<n).map { i in parts.reduce(Interval(0)) { $0 + $1[i] } }
        }
        let real = c(0, 0)
        let first = add(c(1, 0), c(0, 1))
        let second = add(c(2, 0), c(0, 2))
        let mixed = add(c(3, 0), c(1, 2), c(2, 1), c(0, 3))
        return (0..<n).map { IntervalHyperDual(real[$0], first: first[$0], second: second[$0], mixed: mixed[$0]) }
    }
}
