import Foundation

/// Matrix-free linear solves: restarted GMRES and conjugate gradients (see `Krylov`).
extension Krylov {
    public struct Solution: Sendable {
        public var x: [Double]
        /// `‖b − A x‖₂ / ‖b‖₂` as recomputed at the end.
        public var relativeResidual: Double
        public var products: Int
        public var converged: Bool
    }

    /// Restarted right-preconditioned GMRES(`restart`) for `A x = b`: minimises the residual
    /// over the Krylov space of `A M⁻¹`, with `precondition` applying `M⁻¹`.
    public static func gmres(
        b: [Double], restart: Int = Limits.gmresRestart, tolerance: Double = Tolerance.krylovSolveRelative,
        maxProducts: Int = Limits.gmresProducts, apply: ([Double]) -> [Double],
        precondition: ([Double]) -> [Double] = { $0 }
    ) -> Solution {
        let n = b.count
        let bnorm = norm(b)
        var x = [Double](repeating: 0, count: n)
        if bnorm == 0 { return Solution(x: x, relativeResidual: 0, products: 0, converged: true) }
        var products = 0
        var r = b
        while true {
            let beta = norm(r)
            if beta <= tolerance * bnorm || products >= maxProducts { break }
            let m = min(restart, n)
            var vs: [[Double]] = [r.map { $0 / beta }]
            var zs: [[Double]] = []
            var h = [[Double]](repeating: [Double](repeating: 0, count: m), count: m + 1)
            var cs = [Double](repeating: 0, count: m)
            var sn = [Double](repeating: 0, count: m)
            var g = [Double](repeating: 0, count: m + 1)
            g[0] = beta
            var k = 0
            while k < m {
                let z = precondition(vs[k])
                zs.append(z)
                var w = apply(z)
                products += 1
                for j in 0...k {
                    let c = dot(w, vs[j])
                    h[j][k] = c
                    axpy(-c, vs[j], &w)
                }
                let hn = norm(w)
                h[k + 1][k] = hn
                for j in 0..<k {
                    let t = cs[j] * h[j][k] + sn[j] * h[j + 1][k]
                    h[j + 1][k] = -sn[j] * h[j][k] + cs[j] * h[j + 1][k]
                    h[j][k] = t
                }
                let d = (h[k][k] * h[k][k] + h[k + 1][k] * h[k + 1][k]).squareRoot()
                cs[k] = d == 0 ? 1 : h[k][k] / d
                sn[k] = d == 0 ? 0 : h[k + 1][k] / d
                h[k][k] = d
                h[k + 1][k] = 0
                g[k + 1] = -sn[k] * g[k]
                g[k] = cs[k] * g[k]
                k += 1
                if abs(g[k]) <= tolerance * bnorm || hn == 0 || products >= maxProducts { break }
                vs.append(w.map { $0 / hn })
            }
            // Back substitution for the k×k triangular system.
            var y = [Double](repeating: 0, count: k)
            for i in stride(from: k - 1, through: 0, by: -1) {
                var s = g[i]
                for j in (i + 1)..<k { s -= h[i][j] * y[j] }
                y[i] = h[i][i] == 0 ? 0 : s / h[i][i]
            }
            for i in 0..<k { axpy(y[i], zs[i], &x) }
            let ax = apply(x)
            products += 1
            for i in 0..<n { r[i] = b[i] - ax[i] }
        }
        let rel = norm(r) / bnorm
        debugLog("gmres n=\(n) products=\(products) relative residual=\(rel)")
        return Solution(x: x, relativeResidual: rel, products: products, converged: rel <= tolerance)
    }

    /// Conjugate gradients for a symmetric positive definite operator, from x = 0, stopping at
    /// relative residual `tolerance` or `maxProducts` products. Used only to produce positive
    /// test vectors for Collatz–Wielandt bounds, where a rough solve is enough.
    public static func conjugateGradient(
        b: [Double], start: [Double]? = nil, tolerance: Double = Tolerance.testVectorSolveRelative,
        maxProducts: Int = Limits.roughProducts, apply: ([Double]) -> [Double]
    ) -> [Double] {
        var x = start ?? [Double](repeating: 0, count: b.count)
        var r = b
        if start != nil { axpy(-1, apply(x), &r) }
        var p = r
        var rr = dot(r, r)
        let stop = tolerance * tolerance * dot(b, b)
        var products = 0
        defer { debugLog("cg n=\(b.count) products=\(products)") }
        for _ in 0..<maxProducts {
            if rr <= stop { break }
            products += 1
            let ap = apply(p)
            let pap = dot(p, ap)
            guard pap > 0 else { break }
            let a = rr / pap
            axpy(a, p, &x)
            axpy(-a, ap, &r)
            let next = dot(r, r)
            let beta = next / rr
            rr = next
            for i in p.indices { p[i] = r[i] + beta * p[i] }
        }
        return x
    }
}
