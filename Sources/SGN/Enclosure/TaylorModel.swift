import Foundation

/// A second-order Taylor model over a box: the box's points are `c + Σ_k ε_k r_k` with
/// normalised offsets `ε_k ∈ [−1, 1]` (the symbols), and a value
/// `x₀ + Σ_k g_k ε_k + Σ_{j≤k} q_jk ε_j ε_k + 𝐑` says that at the point ε the exact quantity
/// lies in the polynomial (exact real arithmetic on the stored doubles) plus the interval 𝐑.
/// Unlike an interval it remembers how a quantity depends on the coordinates, to second order:
/// `x − x` is 0, the joint probabilities `π₁ ⊗ π₂` keep their bilinear term, and the expected
/// reward of the coordination game, `(π₁(0) − π₁(1))(π₂(0) − π₂(1))`, keeps its true size
/// (order r² on a box of radius r) and its sign pattern. The losses of interval arithmetic
/// only enter the remainder, at third order. docs/enclosures.md ("Taylor models") gives the
/// rules and the rounding model.
///
/// Soundness, per operation: the polynomial part of the result is computed in floating point;
/// every rounding error of its coefficients is bounded (`RoundingBound`) and added to the
/// remainder, with the third- and fourth-order parts of products and the Lagrange remainder of
/// `exp`, `log` and `1/x` (their third derivative bounded over the operand's whole range).
/// Overflow or NaN anywhere gives the entire line, which no proof accepts.
public struct TaylorModel: GradientScalar, CustomStringConvertible {
    /// x₀.
    public var center: Double
    /// g_k; missing trailing entries are 0.
    public var linear: [Double]
    /// q_jk for j ≤ k at `k(k+1)/2 + j` (packed by columns, so the index does not depend on
    /// the number of symbols); missing trailing entries are 0.
    public var quadratic: [Double]
    /// An enclosure of the exact value minus the polynomial, at every point of the box.
    public var remainder: Interval

    /// A constant (exact: a double is a real number).
    public init(_ value: Double) {
        self.init(center: value, linear: [], quadratic: [])
    }

    public init(center: Double, linear: [Double], quadratic: [Double] = [], remainder: Interval = Interval(0)) {
        self.center = center
        self.linear = linear
        self.quadratic = quadratic
        self.remainder = remainder
    }

    /// An interval as a model without symbols: its midpoint and the rest in the remainder.
    public init(_ x: Interval) {
        guard x.isFinite else {
            self = .entire
            return
        }
        self.init(center: x.value, linear: [], quadratic: [], remainder: x - Interval(x.value))
    }

    /// Nothing is known (the result of an undefined or overflowing operation).
    public static let entire = TaylorModel(center: 0, linear: [], quadratic: [], remainder: .entire)

    public var value: Double { center }
    public var description: String { "\(center) + \(linear)·ε + \(quadratic)·εε + \(remainder)" }

    @inline(__always) static func packed(_ j: Int, _ k: Int) -> Int { k * (k + 1) / 2 + j }

    /// The range of `Σ g_k ε_k` over the cube, `[−Σ|g_k|, Σ|g_k|]` rounded outward.
    public var linearRange: Interval {
        var s = Interval(0)
        for g in linear where g != 0 { s = s + Interval(abs(g)) }
        return Interval(lower: -s.upper, upper: s.upper)
    }

    /// An enclosure of the range of `Σ_{j≤k} q_jk ε_j ε_k` over the cube: squares in
    /// `[min(0, q_kk), max(0, q_kk)]`, cross terms in `±|q_jk|`.
    public var quadraticRange: Interval {
        var r = Interval(0)
        var k = 0
        var j = 0
        for q in quadratic {
            if q != 0 {
                r =
                    r
                    + (j == k
                        ? Interval(lower: Swift.min(0, q), upper: Swift.max(0, q))
                        : Interval(lower: -abs(q), upper: abs(q)))
            }
            if j == k {
                k += 1
                j = 0
            } else {
                j += 1
            }
        }
        return r
    }

    /// The range over the whole box.
    public var range: Interval { Interval(center) + linearRange + quadraticRange + remainder }

    /// The same value as a first-order model: the quadratic part's range moves into the
    /// remainder (so the polynomial is affine in ε).
    public var affine: TaylorModel {
        TaylorModel(center: center, linear: linear, quadratic: [], remainder: remainder + quadraticRange)
    }

    /// The enclosure at one point ε of the box (the quadratic part must be empty or ε a vertex
    /// with entries ±1, where every product of doubles here is exact).
    public func enclosure(at eps: [Double]) -> Interval {
        var x = Interval(center) + remainder
        for (k, g) in linear.enumerated() where g != 0 { x = x + Interval(eps[k] * g) }
        var k = 0
        var j = 0
        for q in quadratic {
            if q != 0 { x = x + Interval(eps[j] * eps[k] * q) }
            if j == k {
                k += 1
                j = 0
            } else {
                j += 1
            }
        }
        return x
    }

    // MARK: rounding

    /// Accumulates bounds on the rounding errors of computed doubles. In round to nearest, a
    /// computed `fl(x ∘ y)` (∘ one of `+ − ×`) differs from `x ∘ y` by at most `2⁻⁵³|fl(x ∘ y)|`
    /// plus `2⁻¹⁰⁷⁴` (underflow of a product). Each recorded double adds its magnitude; the bound
    /// is `2⁻⁵¹·Σ|·| + (count + 1)·2⁻¹⁰⁷⁴`, twice the exact-arithmetic bound so that the rounding
    /// of the accumulation itself (relative `count·2⁻⁵³`) is covered. A coefficient formed by
    /// several operations records every intermediate result.
    struct RoundingBound {
        var total = 0.0
        var count = 0

        @inline(__always) mutating func add(_ x: Double) {
            total += abs(x)
            count += 1
        }

        var interval: Interval {
            let e = (total * 0x1p-51 + Double(count + 1) * Double.leastNonzeroMagnitude).nextUp
            return e.isFinite ? Interval(lower: -e, upper: e) : .entire
        }
    }

    /// The result with every computed double checked: any overflow or NaN gives `entire`.
    static func finished(_ c: Double, _ g: [Double], _ q: [Double], _ r: Interval) -> TaylorModel {
        guard c.isFinite, r.isFinite, g.allSatisfy(\.isFinite), q.allSatisfy(\.isFinite) else { return .entire }
        return TaylorModel(center: c, linear: g, quadratic: q, remainder: r)
    }

    @inline(__always) static func at(_ x: [Double], _ k: Int) -> Double { k < x.count ? x[k] : 0 }

    // MARK: arithmetic

    public static func + (a: TaylorModel, b: TaylorModel) -> TaylorModel { combine(a, b, sign: 1) }
    public static func - (a: TaylorModel, b: TaylorModel) -> TaylorModel { combine(a, b, sign: -1) }

    /// `a + sign·b`; sign ±1 (exact).
    static func combine(_ a: TaylorModel, _ b: TaylorModel, sign: Double) -> TaylorModel {
        var rounding = RoundingBound()
        func merge(_ x: [Double], _ y: [Double]) -> [Double] {
            let n = Swift.max(x.count, y.count)
            var out = [Double](repeating: 0, count: n)
            for k in 0..<n {
                let u = at(x, k)
                let v = at(y, k)
                out[k] = u + sign * v
                if u != 0 && v != 0 { rounding.add(out[k]) }
            }
            return out
        }
        let g = merge(a.linear, b.linear)
        let q = merge(a.quadratic, b.quadratic)
        let c = a.center + sign * b.center
        rounding.add(c)
        let r = a.remainder + (sign > 0 ? b.remainder : -b.remainder) + rounding.interval
        return finished(c, g, q, r)
    }

    public static prefix func - (x: TaylorModel) -> TaylorModel {
        TaylorModel(
            center: -x.center, linear: x.linear.map { -$0 }, quadratic: x.quadratic.map { -$0 },
            remainder: -x.remainder)
    }

    public static func * (s: Double, x: TaylorModel) -> TaylorModel {
        var rounding = RoundingBound()
        func scaled(_ v: Double) -> Double {
            let p = s * v
            rounding.add(p)
            return p
        }
        let g = x.linear.map(scaled)
        let q = x.quadratic.map(scaled)
        let c = scaled(x.center)
        return finished(c, g, q, Interval(s) * x.remainder + rounding.interval)
    }

    var isConstant: Bool {
        linear.allSatisfy { $0 == 0 } && quadratic.allSatisfy { $0 == 0 } && remainder == Interval(0)
    }

    /// `(a₀ + L_a + Q_a + 𝐑_a)(b₀ + L_b + Q_b + 𝐑_b)` (L linear, Q quadratic in ε): centre `a₀b₀`,
    /// linear `a₀L_b + b₀L_a`, quadratic `a₀Q_b + b₀Q_a + L_aL_b`, and in the remainder
    /// `L_aQ_b + L_bQ_a + Q_aQ_b` (ranges) plus `range(a's polynomial)·𝐑_b + range(b's)·𝐑_a +
    /// 𝐑_a𝐑_b` and the rounding.
    public static func * (a: TaylorModel, b: TaylorModel) -> TaylorModel {
        if a.isConstant { return a.center * b }
        if b.isConstant { return b.center * a }
        var rounding = RoundingBound()
        /// `a₀·y_k + b₀·x_k` for k < count, each product and sum added to the rounding bound.
        func centred(_ x: [Double], _ y: [Double], count: Int) -> [Double] {
            (0..<count).map { k in
                let p = a.center * at(y, k)
                let r = b.center * at(x, k)
                let sum = p + r
                rounding.add(p)
                rounding.add(r)
                rounding.add(sum)
                return sum
            }
        }
        let n = Swift.max(a.linear.count, b.linear.count)
        let g = centred(a.linear, b.linear, count: n)
        var q = centred(
            a.quadratic, b.quadratic, count: Swift.max(a.quadratic.count, b.quadratic.count, n * (n + 1) / 2))
        for k in 0..<n {
            let ak = at(a.linear, k)
            let bk = at(b.linear, k)
            for j in 0...k {
                let aj = at(a.linear, j)
                let bj = at(b.linear, j)
                let i = packed(j, k)
                if j == k {
                    guard ak != 0 && bk != 0 else { continue }
                    let p = ak * bk
                    rounding.add(p)
                    q[i] += p
                    rounding.add(q[i])
                } else {
                    guard (aj != 0 && bk != 0) || (ak != 0 && bj != 0) else { continue }
                    let p = aj * bk
                    let r = ak * bj
                    rounding.add(p)
                    rounding.add(r)
                    q[i] += p
                    rounding.add(q[i])
                    q[i] += r
                    rounding.add(q[i])
                }
            }
        }
        let c = a.center * b.center
        rounding.add(c)
        let la = a.linearRange
        let lb = b.linearRange
        let qa = a.quadraticRange
        let qb = b.quadraticRange
        let polyA = Interval(a.center) + la + qa
        let polyB = Interval(b.center) + lb + qb
        let r =
            la * qb + lb * qa + qa * qb + polyA * b.remainder + polyB * a.remainder + a.remainder * b.remainder
            + rounding.interval
        return finished(c, g, q, r)
    }

    /// `a · (1/b)`; the entire line when b's range contains 0.
    public static func / (a: TaylorModel, b: TaylorModel) -> TaylorModel { a * reciprocal(b) }

    /// `f(x)` by Taylor's theorem at x₀: with δ = x − x₀ = L + Q + r (linear, quadratic, remainder),
    /// `f(x) = f(x₀) + f′(x₀)δ + ½f″(x₀)δ² + ⅙f‴(ξ)δ³`, ξ between x₀ and x, so in the range of x.
    /// `f0`, `f1`, `f2` enclose the derivatives at x₀, `f3` the third derivative over the range.
    /// Polynomial: `mid(f0) + mid(f1)(L + Q) + ½mid(f2)L²`; remainder: the differences of the
    /// enclosures from their midpoints times the ranges, `f1·r`, `½f2(δ² − L²)` with
    /// `δ² − L² = 2L(Q + r) + (Q + r)²`, `⅙f3·δ³` and the rounding.
    static func taylor(_ x: TaylorModel, _ f0: Interval, _ f1: Interval, _ f2: Interval, _ f3: Interval) -> TaylorModel
    {
        guard f0.isFinite, f1.isFinite, f2.isFinite, f3.isFinite else { return .entire }
        let c0 = f0.value
        let c1 = f1.value
        let c2 = f2.value
        let lx = TaylorModel(center: 0, linear: x.linear)
        // Polynomial part: c1·(L + Q) + (c2/2)·L², in the model arithmetic (rounding bounded there).
        var poly = c1 * TaylorModel(center: 0, linear: x.linear, quadratic: x.quadratic)
        if c2 != 0 && !x.linear.isEmpty { poly = poly + (0.5 * c2) * (lx * lx) }
        let l = x.linearRange
        let q = x.quadraticRange
        let tail = q + x.remainder
        let delta = l + tail
        let r =
            (f0 - Interval(c0)) + (f1 - Interval(c1)) * (l + q) + f1 * x.remainder
            + Interval(0.5) * ((f2 - Interval(c2)) * Interval.square(l))
            + Interval(0.5) * (f2 * (Interval(2) * (l * tail) + Interval.square(tail)))
            + (f3 * Interval.power(delta, 3)) / Interval(6)
        var out = poly
        out.center = c0
        out.remainder = poly.remainder + r
        // c0 + poly: poly's centre is 0 (exact), so setting it is exact.
        return finished(out.center, out.linear, out.quadratic, out.remainder)
    }

    public static func exponential(_ x: TaylorModel) -> TaylorModel {
        let range = x.range
        guard range.isFinite else { return .entire }
        let e = Interval.exp(Interval(x.center))
        return taylor(x, e, e, e, Interval.exp(range))
    }

    /// `log x`; the entire line when x's range has non-positive points.
    public static func logarithm(_ x: TaylorModel) -> TaylorModel {
        let range = x.range
        guard range.isFinite, range.lower > 0 else { return .entire }
        let p = Interval(x.center)
        let inverse = Interval(1) / p
        return taylor(
            x, Interval.log(p), inverse, -Interval.square(inverse),
            Interval(2) / Interval.power(range, 3))
    }

    /// `1/x`; the entire line when x's range contains 0.
    public static func reciprocal(_ x: TaylorModel) -> TaylorModel {
        let range = x.range
        guard range.isFinite, !range.contains(0) else { return .entire }
        let inverse = Interval(1) / Interval(x.center)
        let square = Interval.square(inverse)
        return taylor(
            x, inverse, -square, Interval(2) * (square * inverse),
            Interval(-6) / Interval.power(range, 4))
    }

    // MARK: linear systems

    /// The polynomial coefficients as one vector: centre, linear (`symbols` entries), quadratic
    /// (`symbols(symbols+1)/2`), for solving every coefficient with one matrix.
    func slots(symbols n: Int) -> [Double] {
        var out = [center]
        for k in 0..<n { out.append(Self.at(linear, k)) }
        for k in 0..<(n * (n + 1) / 2) { out.append(Self.at(quadratic, k)) }
        return out
    }

    init(slots s: [Double], symbols n: Int) {
        self.init(center: s[0], linear: Array(s[1..<(1 + n)]), quadratic: Array(s[(1 + n)...]))
    }

    /// The number of symbols a set of models uses.
    static func symbolCount(_ xs: [TaylorModel]) -> Int {
        xs.reduce(0) { n, x in
            var m = Swift.max(n, x.linear.count)
            while m * (m + 1) / 2 < x.quadratic.count { m += 1 }
            return m
        }
    }

    /// Solves `x = F(x)` for the polynomial part of a linear system by Newton steps on the
    /// coefficients: `residual(x)` is `b − A(ε)x` in model arithmetic; each step solves
    /// `A₀ δ = residual` for every coefficient (`solve`, floating point) and adds δ. Three steps
    /// make the centre, linear and quadratic coefficients exact up to rounding (step k fixes
    /// order k − 1, since A(ε) − A₀ is of order ≥ 1). Only a good guess: the caller bounds the
    /// error of the result rigorously.
    static func newton(
        rhs b: [TaylorModel], symbols n: Int, solve: ([Double]) -> [Double],
        residual: ([TaylorModel]) -> [TaylorModel]
    ) -> [TaylorModel] {
        let size = b.count
        let slotCount = 1 + n + n * (n + 1) / 2
        var x = [TaylorModel](repeating: TaylorModel(0), count: size)
        for _ in 0..<3 {
            let r = residual(x).map { $0.slots(symbols: n) }
            var xs = x.map { $0.slots(symbols: n) }
            for slot in 0..<slotCount {
                let d = solve(r.map { $0[slot] })
                for i in 0..<size { xs[i][slot] += d[i] }
            }
            x = xs.map { TaylorModel(slots: $0, symbols: n) }
        }
        return x
    }

    /// Solves `A x = b` for every A, b of the models: the polynomial part by `newton`, then the
    /// residual `b − A·x` in model arithmetic (its polynomial part only rounding, its remainder
    /// of third order) and the error `A⁻¹·residual` enclosed by the interval solve
    /// (`IntervalLinearAlgebra.solve`) over the ranges of A and of the residual. The entire
    /// line when non-singularity is not proven.
    public static func solveLinear(
        _ a: [TaylorModel], size n: Int, rhs: [[TaylorModel]], factors: LUFactors?
    ) -> [[TaylorModel]] {
        let entire = [TaylorModel](repeating: .entire, count: n)
        guard let lu = LUFactors(a.map(\.center), size: n) else { return rhs.map { _ in entire } }
        let ranges = a.map(\.range)
        return rhs.map { b in
            let symbols = symbolCount(a + b)
            func residual(_ x: [TaylorModel]) -> [TaylorModel] {
                (0..<n).map { i in (0..<n).reduce(b[i]) { $0 - a[i * n + $1] * x[$1] } }
            }
            let x = newton(rhs: b, symbols: symbols, solve: lu.solve, residual: residual)
            let rho = residual(x).map(\.range)
            guard let e = IntervalLinearAlgebra.solve(ranges, size: n, rhs: [rho])?[0] else { return entire }
            return (0..<n).map { finished(x[$0].center, x[$0].linear, x[$0].quadratic, e[$0]) }
        }
    }

    /// The discounted system `(I − γP)x = b` (or its transpose) with P's rows the mixtures of the
    /// kernel rows with the joint-probability weights (`GradientScalar.solveDiscounted`): the
    /// polynomial part by `newton` (A₀ = `I − γP` at the centre), the residual
    /// `b − x + γP(ε)x` in model arithmetic, and the error — which solves the same system with
    /// the residual as right-hand side — enclosed by the stochastic fixed point of
    /// `DiscountedSolve` over the ranges of the weights (the true weights are probability
    /// vectors inside them) and of the residual: 1/(1 − γ) times the residual, which is of
    /// third order.
    public static func solveDiscounted(
        system: [TaylorModel], weights: [TaylorModel], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, rhs: [[TaylorModel]], transposed: Bool,
        factors: LUFactors?
    ) -> [[TaylorModel]] {
        guard
            let model = DiscountedModel(
                weights: weights, kernel: kernel, discount: discount, size: n, mixtures: k, transposed: transposed)
        else { return rhs.map { _ in [TaylorModel](repeating: .entire, count: n) } }
        return rhs.map(model.solve)
    }

    /// `γP₁x` for the derivative of a discounted solve (`NestedDual`): values, with
    /// `x(t) = x(0) + y(t)`, `γ[x(0)·Σ_a w₁(s, a)(ρ(s, a) − 1) + Σ_a w₁(s, a)·K(s, a, ·)y]` (ρ the
    /// kernel row sums, within rounding of 1; the true w₁ sum to 0). The differences y take the
    /// polynomial differences of x and, as their remainder, an enclosure of the differences of x's
    /// error (`DiscountedSolve.Chain.differences` with the residual of x's polynomial part): the
    /// error's common level, 1/(1 − γ) times the residual's width, does not multiply the weights.
    /// The transposed system uses the direct product.
    public static func discountedCoupling(
        tangentWeights w1: [TaylorModel], weights w0: [TaylorModel], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, solution x: [TaylorModel], rhs b: [TaylorModel], transposed: Bool
    ) -> [TaylorModel] {
        guard !transposed, n > 1,
            let model = DiscountedModel(
                weights: w0, kernel: kernel, discount: discount, size: n, mixtures: k, transposed: false)
        else {
            var out = [TaylorModel](repeating: TaylorModel(0), count: n)
            for s in 0..<n {
                for a in 0..<k {
                    let base = (s * k + a) * n
                    for t in 0..<n where kernel[base + t] != 0 {
                        let p = discount * (kernel[base + t] * w1[s * k + a])
                        if transposed { out[t] = out[t] + p * x[s] } else { out[s] = out[s] + p * x[t] }
                    }
                }
            }
            return out
        }
        return model.coupling(w1, solution: x, rhs: b)
    }
}

/// The discounted system of `TaylorModel.solveDiscounted` at given weights: the floating
/// factors of its centre, the weight ranges for the stochastic error solves, and the residual.
struct DiscountedModel {
    let n: Int
    let k: Int
    let kernel: [Double]
    let discount: Double
    let transposed: Bool
    let weights: [TaylorModel]
    let chain: DiscountedSolve.Chain
    let lu: LUFactors
    let ranges: [[Interval]]
    /// P(s, t) = Σ_a w(s, a)K(s, a, t) as models (transposed system only).
    let p: [[TaylorModel]]

    init?(weights: [TaylorModel], kernel: [Double], discount: Double, size n: Int, mixtures k: Int, transposed: Bool) {
        var m0 = [Double](repeating: 0, count: n * n)
        for s in 0..<n {
            for a in 0..<k {
                let w = weights[s * k + a].center
                for t in 0..<n where kernel[(s * k + a) * n + t] != 0 {
                    m0[transposed ? t * n + s : s * n + t] -= discount * kernel[(s * k + a) * n + t] * w
                }
            }
        }
        for s in 0..<n { m0[s * n + s] += 1 }
        guard let lu = LUFactors(m0, size: n) else { return nil }
        self.lu = lu
        self.n = n
        self.k = k
        self.kernel = kernel
        self.discount = discount
        self.transposed = transposed
        self.weights = weights
        chain = DiscountedSolve.Chain(n: n, k: k, kernel: kernel, gamma: discount)
        ranges = chain.rows(weights.map(\.range))
        p =
            transposed
            ? (0..<n).map { s in
                (0..<n).map { t in
                    (0..<k).reduce(TaylorModel(0)) { sum, a in
                        let kst = kernel[(s * k + a) * n + t]
                        return kst == 0 ? sum : sum + kst * weights[s * k + a]
                    }
                }
            } : []
    }

    /// `y_a = K(s, a, ·)·x` for every component a of state s.
    func components(_ s: Int, _ x: [TaylorModel]) -> [TaylorModel] {
        (0..<k).map { a in
            let base = (s * k + a) * n
            var kx = TaylorModel(0)
            for t in 0..<n where kernel[base + t] != 0 { kx = kx + kernel[base + t] * x[t] }
            return kx
        }
    }

    /// `Σ_a w_a y_a` for weights that sum to `total` (1 or 0) exactly in truth, written
    /// `total·λ + Σ_a w_a(y_a − λ)` with λ the polynomial part of the mean of the y_a (the same
    /// number for any λ): only the differences of the y_a multiply the weights, so the
    /// third-order terms of the products stay of the size of those differences.
    static func mixture(_ w: ArraySlice<TaylorModel>, _ y: [TaylorModel], total: Double) -> TaylorModel {
        var lambda = (1 / Double(y.count)) * y.reduce(TaylorModel(0), +)
        lambda.remainder = Interval(0)
        var mix = total == 0 ? TaylorModel(0) : lambda
        for (a, wa) in zip(y.indices, w) { mix = mix + wa * (y[a] - lambda) }
        return mix
    }

    /// `b − x + γP(ε)x` (or with `P(ε)ᵀ`) in model arithmetic.
    func residual(_ b: [TaylorModel], _ x: [TaylorModel]) -> [TaylorModel] {
        var out = (0..<n).map { b[$0] - x[$0] }
        if transposed {
            for s in 0..<n {
                for t in 0..<n { out[t] = out[t] + discount * (x[s] * p[s][t]) }
            }
            return out
        }
        for s in 0..<n {
            let mix = Self.mixture(weights[(s * k)..<(s * k + k)], components(s, x), total: 1)
            out[s] = out[s] + discount * mix
        }
        return out
    }

    /// The enclosure of the solution for one right-hand side.
    func solve(_ b: [TaylorModel]) -> [TaylorModel] {
        let symbols = TaylorModel.symbolCount(weights + b)
        let x = TaylorModel.newton(rhs: b, symbols: symbols, solve: lu.solve) { residual(b, $0) }
        let rho = residual(b, x).map(\.range)
        guard rho.allSatisfy(\.isFinite) else { return [TaylorModel](repeating: .entire, count: n) }
        let e = chain.solve(ranges, rho, transposed: transposed)
        return (0..<n).map { TaylorModel.finished(x[$0].center, x[$0].linear, x[$0].quadratic, e[$0]) }
    }

    /// `γP₁x` for the values (see `TaylorModel.discountedCoupling`); x solves the system with `b`.
    func coupling(_ w1: [TaylorModel], solution x: [TaylorModel], rhs b: [TaylorModel]) -> [TaylorModel] {
        let poly = x.map { TaylorModel(center: $0.center, linear: $0.linear, quadratic: $0.quadratic) }
        let rho = residual(b, poly).map(\.range)
        let errorDifferences = chain.differences(weights: ranges, rhs: rho, values: x.map(\.remainder))
        var y = (0..<n).map { t -> TaylorModel in
            var d = poly[t] - poly[0]
            d.remainder = d.remainder + errorDifferences[t]
            return d
        }
        y[0] = TaylorModel(0)
        let sums = chain.rowSums
        return (0..<n).map { s in
            // Σ_a w₁(s, a)ρ(s, a) = Σ_a w₁(s, a)(ρ(s, a) − 1), the true w₁ summing to 0.
            var level = TaylorModel(0)
            for a in 0..<k { level = level + w1[s * k + a] * TaylorModel(sums[s * k + a] - Interval(1)) }
            let out = Self.mixture(w1[(s * k)..<(s * k + k)], components(s, y), total: 0) + x[0] * level
            return discount * out
        }
    }
}
