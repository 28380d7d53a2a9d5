/// Margins and Lipschitz constants of the whole Jacobian in a block metric `diag(w_i I)`,
/// taken over every Jacobian of the set (worst case): `α(w) = min λmin(sym(M^{1/2} J M^{-1/2}))`
/// and `β(w) = max ‖M^{1/2} J M^{-1/2}‖₂` (SGN-METHOD §4 rung 3 and §5).
public struct MetricSpectra: Sendable {
    public let jacobianSet: JacobianSet

    public init(_ set: JacobianSet) { self.jacobianSet = set }

    /// Size up to which dense LAPACK is used; larger games use iterative solvers.
    public static let denseLimit = 3000

    public var usesDense: Bool { jacobianSet.jacobians[0].size <= MetricSpectra.denseLimit }

    /// Exact margin in the metric of `w`.
    public func margin(weights w: [Double]) throws -> Double {
        try worst(over: w, combine: min) { j in
            try LAPACK.symmetricEigenvalues(j.dense().symmetricPart).first ?? 0
        } iterative: { j in
            try SparseSpectra.smallestSymmetricEigenvalue(j)
        }
    }

    /// Lipschitz constant of F in the metric of `w`.
    public func lipschitz(weights w: [Double]) throws -> Double {
        try worst(over: w, combine: max) { j in
            try LAPACK.spectralNorm(j.dense())
        } iterative: { j in
            try SparseSpectra.spectralNormUpperBound(j)
        }
    }

    private func worst(over w: [Double], combine: @Sendable (Double, Double) -> Double,
                       dense: @escaping @Sendable (BlockMatrix) throws -> Double,
                       iterative: @escaping @Sendable (BlockMatrix) throws -> Double) throws -> Double {
        let useDense = usesDense
        let jacobians = jacobianSet.jacobians
        let results = Parallel.map(count: jacobians.count) { k in
            Result { () throws -> Double in
                let j = jacobians[k].weighted(by: w)
                return useDense ? try dense(j) : try iterative(j)
            }
        }
        return try results.map { try $0.get() }.reduce(nil as Double?) { acc, v in acc.map { combine($0, v) } ?? v }!
    }
}
