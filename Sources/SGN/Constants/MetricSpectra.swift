import Foundation

/// Margins and Lipschitz constants of the whole Jacobian in a block metric `diag(w_i I)`,
/// taken over every Jacobian of the set (worst case): `α(w) = min λmin(sym(M^{1/2} J M^{-1/2}))`
/// and `β(w) = max ‖M^{1/2} J M^{-1/2}‖₂` (docs/method.md §3 rung 3 and §5). A set with an
/// enclosure answers with the enclosure's proven bounds instead.
public struct MetricSpectra: Sendable {
    public let jacobianSet: JacobianSet

    private let cache = SpectraCache()

    public init(_ set: JacobianSet) { self.jacobianSet = set }

    /// Size up to which dense LAPACK can be used; larger games always use iterative methods.
    public static let denseLimit = Limits.denseOrder
    /// Size up to which dense LAPACK is always used.
    public static let alwaysDenseLimit = Limits.alwaysDenseOrder
    /// Between the two limits, dense LAPACK is used when at least this fraction of the n×n
    /// Jacobian is stored (otherwise the coupling graph is sparse and iteration is cheaper).
    public static let denseFill = Limits.denseFill
    /// Largest size for which the certificate carries Lanczos estimates of the exact margin and β
    /// next to the proven bounds (they cost more than the bounds).
    public static let estimateLimit = Limits.estimateOrder

    /// Whether margins and Lipschitz constants are computed densely (exact up to LAPACK's
    /// rounding) or by the iterative bounds of `SparseSpectra`.
    /// A set of block constants only is dense (its β bound is an N×N norm, `BlockConstants`).
    public var usesDense: Bool { jacobianSet.jacobians.first.map(MetricSpectra.prefersDense) ?? true }

    /// Whether margins in a metric can be computed: they need the Jacobians (or an enclosure).
    /// A set of block constants only answers Lipschitz bounds but no margins.
    public var evaluatesMargins: Bool { jacobianSet.hasJacobians }

    /// The automatic choice between dense LAPACK and iteration for a Jacobian of this shape.
    public static func prefersDense(_ j: BlockMatrix) -> Bool {
        let n = j.size
        if n <= MetricSpectra.alwaysDenseLimit { return true }
        if n > MetricSpectra.denseLimit { return false }
        var stored = 0
        for i in j.dims.indices {
            stored += j.dims[i] * j.dims[i]
            for (c, _) in j.offDiagonal[i] { stored += j.dims[i] * j.dims[c] }
        }
        return Double(stored) >= MetricSpectra.denseFill * Double(n) * Double(n)
    }

    /// Margin in the metric of `w`: exact (dense), or a proven lower bound (iterative).
    /// `start` (iterative path only) guesses the block-level Perron vector of the comparison
    /// matrix at `w`, e.g. the SGN rung's; it saves iterations and changes nothing proven.
    /// `remember: false` (weight searches, which rarely revisit a point) skips the cache.
    public func margin(weights w: [Double], start: [Double]? = nil, remember: Bool = true) throws -> Double {
        precondition(evaluatesMargins, "margins need Jacobians (check evaluatesMargins)")
        if remember, let v = cache.get(.margin, w) { return v }
        let v =
            try jacobianSet.enclosure.map { try $0.marginLowerBound(weights: w) }
            ?? worst(combine: min) { j in
                try LAPACK.symmetricEigenvalues(j.dense(weightedBy: w).symmetricPart).first ?? 0
            } iterative: { j in
                try SparseSpectra.smallestSymmetricEigenvalue(j, weights: w, start: start)
            }
        if remember { cache.set(.margin, w, v) }
        return v
    }

    /// Lipschitz constant of F in the metric of `w`: exact (dense), or a proven upper bound
    /// (iterative); for block constants only, the upper bound of the matrix of block norms.
    public func lipschitz(weights w: [Double], remember: Bool = true) throws -> Double {
        if remember, let v = cache.get(.lipschitz, w) { return v }
        if let given = jacobianSet.givenConstants {
            let v = try given.lipschitzUpperBound(weights: w)
            if remember { cache.set(.lipschitz, w, v) }
            return v
        }
        let v =
            try jacobianSet.enclosure.map { try $0.lipschitzUpperBound(weights: w) }
            ?? worst(combine: max) { j in
                try LAPACK.spectralNorm(j.dense(weightedBy: w))
            } iterative: { j in
                try SparseSpectra.spectralNormUpperBound(j, weights: w)
            }
        if remember { cache.set(.lipschitz, w, v) }
        return v
    }

    /// Lanczos estimates (not bounds) of the exact margin and Lipschitz constant at `w`, worst
    /// over the set, for the certificate's `numerics` on the iterative path.
    public func estimates(weights w: [Double]) throws -> (margin: Double, marginResidual: Double, lipschitz: Double) {
        var margin = Double.infinity
        var residual = 0.0
        var lipschitz = 0.0
        for j in jacobianSet.jacobians {
            let a = j.weighted(by: w)
            let pair = try SparseSpectra.smallestSymmetricEigenvalueEstimate(a)
            if pair.value < margin {
                margin = pair.value
                residual = pair.residual
            }
            lipschitz = max(lipschitz, try SparseSpectra.spectralNormEstimate(a))
        }
        return (margin, residual, lipschitz)
    }

    private func worst(
        combine: @Sendable (Double, Double) -> Double,
        dense: @escaping @Sendable (BlockMatrix) throws -> Double,
        iterative: @escaping @Sendable (BlockMatrix) throws -> Double
    ) throws -> Double {
        let useDense = usesDense
        let jacobians = jacobianSet.jacobians
        let evaluate = { @Sendable (k: Int) in
            Result { () throws -> Double in
                useDense ? try dense(jacobians[k]) : try iterative(jacobians[k])
            }
        }
        // Small dense problems cost less than handing them to other threads (and concurrent
        // tiny LAPACK calls contend for OpenBLAS's buffer lock): below about 10^5 flops in all,
        // the set is walked on this thread.
        let n = Double(jacobianSet.dims.reduce(0, +))
        let results =
            useDense && n * n * n * Double(jacobians.count) < Limits.serialFlops
            ? (0..<jacobians.count).map(evaluate) : Parallel.map(count: jacobians.count, evaluate)
        return try results.map { try $0.get() }.reduce(nil as Double?) { acc, v in acc.map { combine($0, v) } ?? v }!
    }
}

/// Remembers margins and Lipschitz constants per weight vector: the certifier asks for the same
/// weights several times, and on the iterative path each answer costs Krylov iterations.
private struct SpectraCache: Sendable {
    enum Kind { case margin, lipschitz }
    private struct Entries: Sendable {
        var margins: [[Double]: Double] = [:]
        var lipschitzes: [[Double]: Double] = [:]
    }
    private let entries = Locked(Entries())

    func get(_ kind: Kind, _ w: [Double]) -> Double? {
        entries.withLock { kind == .margin ? $0.margins[w] : $0.lipschitzes[w] }
    }

    func set(_ kind: Kind, _ w: [Double], _ v: Double) {
        entries.withLock { e in
            // Weight searches visit many vectors; keep the memory bounded.
            if e.margins.count + e.lipschitzes.count > Limits.spectraCacheEntries {
                e.margins.removeAll()
                e.lipschitzes.removeAll()
            }
            if kind == .margin { e.margins[w] = v } else { e.lipschitzes[w] = v }
        }
    }
}
