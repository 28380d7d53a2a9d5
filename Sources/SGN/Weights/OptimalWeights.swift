import Foundation

/// The weights of the SGN rung (docs/method.md §2, "Optimal weights").
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
    /// The Perron vector of the symmetrised comparison matrix at `weights`, when the iterative
    /// path computed it: a good start for eigenvalue iterations in the same metric.
    public var perronVector: [Double]? = nil
}

public enum OptimalWeights {
    /// For irreducible Γ, `w_i = y_i / x_i` from the Perron vectors of Γ attains `α* = τ(Γ)`.
    /// For reducible Γ, the optimum may be a supremum that no finite weights reach. Two
    /// families of candidates are tried, and the best one (or uniform weights) is returned
    /// with its margin measured on the true Γ, never assumed:
    /// - condensation: Perron weights inside each strongly connected component, scaled by
    ///   `t^level` where a component's level is its depth in the component DAG along the
    ///   coupling direction, so every cross-component coupling term shrinks like `t^{-1/2}`;
    /// - a ring of ε couplings closing the graph (which can only lower the margin for every
    ///   w), whose Perron weights are evaluated for several ε.
    public static func compute(_ gamma: ComparisonMatrix) throws -> SGNWeights {
        let n = gamma.playerCount
        if n == 1 {
            return SGNWeights(
                weights: [1], margin: gamma.constants.curvature[0],
                bound: gamma.constants.curvature[0], irreducible: true)
        }
        let components = gamma.stronglyConnectedComponents()
        if !gamma.usesDense { return try computeSparse(gamma, components: components) }
        let irreducible = components.count == 1
        let tau = try smallestRealEigenvalue(gamma.dense)
        var candidates: [[Double]] = [Array(repeating: 1, count: n)]
        if irreducible, let w = try perronWeights(gamma.dense) {
            candidates.append(w)
        } else {
            candidates += try condensationWeights(gamma, components: components)
            let scale = max(
                gamma.constants.curvature.map(abs).max() ?? 0,
                gamma.constants.coupling.flatMap { $0.map(\.value) }.max() ?? 0, 1e-300)
            for exponent in stride(from: 2, through: 12, by: 2) {
                let eps = scale * pow10(-exponent)
                var g = gamma.dense
                for i in 0..<n {
                    g[i, (i + 1) % n] -= eps
                    g[(i + 1) % n, i] -= eps
                }
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

    /// Per-component Perron weights scaled by `t^level` along the component DAG, for several t
    /// (limited so that the weights stay within a safe floating-point range).
    static func condensationWeights(_ gamma: ComparisonMatrix, components: [[Int]]) throws -> [[Double]] {
        let n = gamma.playerCount
        var componentOf = [Int](repeating: 0, count: n)
        for (c, members) in components.enumerated() { for i in members { componentOf[i] = c } }
        let level = condensationLevels(
            components: components,
            successors: gamma.constants.coupling.map { $0.map(\.col) })
        var inner = [Double](repeating: 1, count: n)
        for members in components where members.count > 1 {
            let sub = ComparisonMatrix(gamma.constants.restricted(to: members))
            let found = sub.usesDense ? try perronWeights(sub.dense) : try sub.sparsePerronWeights()?.weights
            if let w = found { for (k, i) in members.enumerated() { inner[i] = w[k] } }
        }
        let maxLevel = max(1, level.max() ?? 1)
        var out: [[Double]] = []
        for exponent in [1.0, 2, 4, 8, 16, 32, 64] {
            // log10 of the largest weight ratio this t implies: keep it below 1e200.
            guard exponent * Double(maxLevel) <= 200 else { break }
            out.append((0..<n).map { i in inner[i] * Foundation.pow(10, exponent * Double(level[componentOf[i]])) })
        }
        return out
    }

    /// The level of each component (in the order given, sinks first as Tarjan emits them: an
    /// edge i→j goes to an earlier or the same component) in the condensation: the longest path
    /// from a source, so an edge i→j between components raises j's level above i's. It depends
    /// on the graph only, not on the order of the players.
    static func condensationLevels(components: [[Int]], successors: [[Int]]) -> [Int] {
        var componentOf = [Int](repeating: 0, count: successors.count)
        for (c, members) in components.enumerated() { for i in members { componentOf[i] = c } }
        var level = [Int](repeating: 0, count: components.count)
        for c in components.indices.reversed() {
            for i in components[c] {
                for j in successors[i] where componentOf[j] != c {
                    level[componentOf[j]] = max(level[componentOf[j]], level[c] + 1)
                }
            }
        }
        return level
    }

    /// `y_i / x_i` from the right and left Perron vectors of the Z-matrix `g`, or nil when a
    /// vector entry is not safely positive (numerically reducible).
    static func perronWeights(_ g: Matrix) throws -> [Double]? {
        let e = try LAPACK.eigen(g, left: true, right: true)
        guard let k = indexOfSmallestReal(e.real, e.imaginary) else { return nil }
        let n = g.rows
        var x = (0..<n).map { abs(e.right![$0, k]) }
        var y = (0..<n).map { abs(e.left![$0, k]) }
        let xm = x.max()!
        let ym = y.max()!
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
