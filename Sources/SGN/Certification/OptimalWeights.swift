/// The weights of the SGN rung (SGN-METHOD §3, "Optimal weights").
public struct SGNWeights: Sendable {
    /// Normalised weights (max 1).
    public var weights: [Double]
    /// `α*(w)` at these weights: what they prove.
    public var margin: Double
    /// `τ(Γ)`, the smallest real eigenvalue of Γ: the best margin any weights can give from
    /// these constants (a supremum, possibly not attained, when Γ is reducible).
    public var bound: Double
    /// Whether the coupling graph is strongly connected.
    public var irreducible: Bool
}

public enum OptimalWeights {
    /// For irreducible Γ, `w_i = y_i / x_i` from the Perron vectors of Γ attains `α* = τ(Γ)`.
    /// For reducible Γ, the optimum may be a supremum: the coupling graph is closed into a
    /// ring with couplings ε, which can only lower the margin for every w, and the Perron
    /// weights of that perturbed matrix are evaluated on the true Γ for several ε; the best
    /// of those and of uniform weights is returned, with its margin measured, never assumed.
    public static func compute(_ gamma: ComparisonMatrix) throws -> SGNWeights {
        let n = gamma.playerCount
        if n == 1 {
            return SGNWeights(weights: [1], margin: gamma.constants.curvature[0],
                              bound: gamma.constants.curvature[0], irreducible: true)
        }
        let irreducible = gamma.stronglyConnectedComponents().count == 1
        let tau = try smallestRealEigenvalue(gamma.dense)
        var candidates: [[Double]] = [Array(repeating: 1, count: n)]
        if irreducible, let w = try perronWeights(gamma.dense) {
            candidates.append(w)
        } else {
            let scale = max(gamma.constants.curvature.map(abs).max() ?? 0,
                            gamma.constants.coupling.flatMap { $0.map(\.value) }.max() ?? 0, 1e-300)
            for exponent in stride(from: 2, through: 12, by: 2) {
                let eps = scale * pow10(-exponent)
                var g = gamma.dense
                for i in 0..<n { g[i, (i + 1) % n] -= eps; g[(i + 1) % n, i] -= eps }
                if let w = try perronWeights(g) { candidates.append(w) }
            }
        }
        var best: (w: [Double], m: Double)? = nil
        for w in candidates {
            let m = try gamma.margin(weights: w)
            if best == nil || m > best!.m { best = (w, m) }
        }
        return SGNWeights(weights: normalise(best!.w), margin: best!.m, bound: tau, irreducible: irreducible)
    }

    /// `y_i / x_i` from the right and left Perron vectors of the Z-matrix `g`, or nil when a
    /// vector entry is not safely positive (numerically reducible).
    static func perronWeights(_ g: Matrix) throws -> [Double]? {
        let e = try LAPACK.eigen(g, left: true, right: true)
        guard let k = indexOfSmallestReal(e.real, e.imaginary) else { return nil }
        let n = g.rows
        var x = (0..<n).map { abs(e.right![$0, k]) }
        var y = (0..<n).map { abs(e.left![$0, k]) }
        let xm = x.max()!, ym = y.max()!
        guard xm > 0, ym > 0 else { return nil }
        x = x.map { $0 / xm }
        y = y.map { $0 / ym }
        guard x.allSatisfy({ $0 > 1e-150 }), y.allSatisfy({ $0 > 1e-150 }) else { return nil }
        let w = zip(y, x).map { $0 / $1 }
        guard w.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        return w
    }

    /// τ(Γ): for a Z-matrix the eigenvalue of smallest real part is real.
    static func smallestRealEigenvalue(_ g: Matrix) throws -> Double {
        let e = try LAPACK.eigen(g)
        return e.real[indexOfSmallestReal(e.real, e.imaginary) ?? 0]
    }

    private static func indexOfSmallestReal(_ re: [Double], _ im: [Double]) -> Int? {
        // The eigenvalue τ is real; rounding can give it a tiny imaginary part, so prefer real
        // ones and fall back to the smallest real part.
        let scale = max(re.map(abs).max() ?? 0, 1e-300)
        let real = re.indices.filter { abs(im[$0]) <= 1e-12 * scale }
        let pool = real.isEmpty ? Array(re.indices) : real
        return pool.min { re[$0] < re[$1] }
    }

    public static func normalise(_ w: [Double]) -> [Double] {
        let m = w.max() ?? 1
        return w.map { $0 / m }
    }

    private static func pow10(_ e: Int) -> Double {
        var v = 1.0
        for _ in 0..<abs(e) { v *= 10 }
        return e < 0 ? 1 / v : v
    }
}
