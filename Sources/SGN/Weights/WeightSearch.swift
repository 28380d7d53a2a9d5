import Foundation

/// Derivative-free local search over weights (Nelder–Mead on log-weights, the first weight
/// fixed), used to improve an objective from a good start such as the Perron weights.
public enum WeightSearch {
    /// Largest number of players for which the search runs; larger games keep their start.
    public static let maxPlayers = 24

    /// Largest |log(w_i/w_1)| the search visits (weight ratios within e^±100 ≈ 10^±43).
    public static let maxLogRatio = 100.0

    /// Maximises `objective(w)`; returns the best weights found (never worse than `start`).
    public static func maximize(
        from start: [Double], maxEvaluations: Int = 600,
        _ objective: ([Double]) throws -> Double
    ) rethrows -> (weights: [Double], value: Double) {
        let n = start.count
        let startValue = try objective(start)
        guard n >= 2, n <= maxPlayers else { return (start, startValue) }
        let dim = n - 1
        let base = start.map { log($0) }
        // A failed or non-finite evaluation counts as the worst value rather than ending the
        // search: when the optimum is a supremum (reducible coupling) the simplex runs off
        // towards extreme ratios, where the metric matrices stop being representable.
        func eval(_ z: [Double]) -> Double {
            guard let v = try? objective(toWeights(z)), v.isFinite else { return -Double.infinity }
            return v
        }
        // Log-weight ratios are clamped to ±maxLogRatio, keeping every weighted block finite.
        func toWeights(_ z: [Double]) -> [Double] {
            var w = [1.0]
            for k in 0..<dim { w.append(exp(min(max(base[k + 1] - base[0] + z[k], -maxLogRatio), maxLogRatio))) }
            return w
        }
        var simplex: [[Double]] = [Array(repeating: 0, count: dim)]
        for k in 0..<dim {
            var v = Array(repeating: 0.0, count: dim)
            v[k] = 0.5
            simplex.append(v)
        }
        var values = simplex.map(eval)
        var evaluations = simplex.count
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] > values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let spread = simplex.dropFirst().map { v in zip(v, simplex[0]).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
            if spread < 1e-10 { break }
            var centroid = Array(repeating: 0.0, count: dim)
            for v in simplex.dropLast() { for k in 0..<dim { centroid[k] += v[k] / Double(dim) } }
            let worst = simplex[dim]
            func along(_ t: Double) -> [Double] { (0..<dim).map { centroid[$0] + t * (centroid[$0] - worst[$0]) } }
            let reflected = along(1)
            let fr = eval(reflected)
            evaluations += 1
            if fr > values[0] {
                let expanded = along(2)
                let fe = eval(expanded)
                evaluations += 1
                if fe > fr {
                    simplex[dim] = expanded
                    values[dim] = fe
                } else {
                    simplex[dim] = reflected
                    values[dim] = fr
                }
            } else if fr > values[dim - 1] {
                simplex[dim] = reflected
                values[dim] = fr
            } else {
                let contracted = along(fr > values[dim] ? 0.5 : -0.5)
                let fc = eval(contracted)
                evaluations += 1
                if fc > max(fr, values[dim]) {
                    simplex[dim] = contracted
                    values[dim] = fc
                } else {
                    for k in 1...dim {
                        simplex[k] = (0..<dim).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = eval(simplex[k])
                        evaluations += 1
                    }
                }
            }
        }
        let bestIndex = values.indices.max { values[$0] < values[$1] }!
        if values[bestIndex] > startValue {
            return (OptimalWeights.normalise(toWeights(simplex[bestIndex])), values[bestIndex])
        }
        return (start, startValue)
    }
}
