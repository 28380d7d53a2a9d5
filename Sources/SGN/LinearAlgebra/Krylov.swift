import Foundation

/// Matrix-free Krylov methods for large sparse problems: restarted Lanczos (symmetric extreme
/// eigenpairs), restarted Arnoldi (the real extreme eigenpair of a nonsymmetric matrix, used
/// for Perron vectors) and restarted GMRES (linear systems). Each works on a closure `apply`
/// computing `y = A x`; storage is `O(basis · n)`, never `O(n²)`.
///
/// These routines produce *estimates* (Ritz values, approximate vectors). Whatever a
/// certificate relies on is turned into a proven bound afterwards by `CollatzWielandt`.
public enum Krylov {
    static func debugLog(_ s: @autoclosure () -> String) { Trace.log(s()) }

    public struct Eigenpair: Sendable {
        public var value: Double
        public var vector: [Double]
        /// `‖A v − θ v‖₂` for the unit vector v: an eigenvalue of A lies within this distance of θ
        /// (symmetric A).
        public var residual: Double
        /// Matrix–vector products used.
        public var products: Int
    }

    /// The normalised Ritz vector `Σ y_k v_k` of a Krylov cycle (sign flipped to a positive sum
    /// when `positive`) and its true residual `‖A u − θ u‖₂`, recomputed with one product so that
    /// it holds whatever orthogonality the basis lost.
    static func ritzPair(
        _ basis: [[Double]], _ y: [Double], _ theta: Double, positive: Bool,
        apply: ([Double]) -> [Double]
    ) -> (vector: [Double], residual: Double) {
        var ritz = [Double](repeating: 0, count: basis[0].count)
        for k in y.indices { axpy(y[k], basis[k], &ritz) }
        if positive && ritz.reduce(0, +) < 0 { ritz = ritz.map { -$0 } }
        ritz = normalised(ritz)
        var r = apply(ritz)
        axpy(-theta, ritz, &r)
        return (ritz, norm(r))
    }

    /// Modified Gram–Schmidt of `w` against the orthonormal `basis`, with a second pass only
    /// when the first removed most of w (Daniel–Gragg–Kaufman–Stewart: ‖w‖ fell below 1/√2 of
    /// its size), which is when rounding leaves w measurably non-orthogonal. Returns the total
    /// coefficient removed along each basis vector.
    @discardableResult
    static func orthogonalise(_ w: inout [Double], against basis: [[Double]]) -> [Double] {
        var coefficients = [Double](repeating: 0, count: basis.count)
        var before = norm(w)
        for pass in 0..<2 {
            for (j, q) in basis.enumerated() {
                let c = dot(w, q)
                coefficients[j] += c
                axpy(-c, q, &w)
            }
            let after = norm(w)
            if pass == 0 && after > 0.7071 * before { break }
            before = after
        }
        return coefficients
    }

    // MARK: vector helpers

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double { LAPACK.dot(a, b) }

    @inline(__always) static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) { LAPACK.axpy(a, x, &y) }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    static func normalised(_ a: [Double]) -> [Double] {
        let s = norm(a)
        return s > 0 ? a.map { $0 / s } : a
    }

    /// A deterministic start vector with no special structure (positive, so that it is never
    /// orthogonal to a Perron vector).
    static func seededStart(_ n: Int) -> [Double] {
        var rng = SeededGenerator(seed: 0x5EED)
        return (0..<n).map { _ in rng.uniform(0.5, 1.5) }
    }
}
