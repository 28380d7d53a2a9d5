/// The comparison matrix Γ of docs/method.md §2: `Γ_ii = μ_i`, `Γ_ij = −L_ij`. A Z-matrix built
/// from the block constants; everything the SGN rung proves is a statement about it.
public struct ComparisonMatrix: Sendable {
    public let constants: BlockConstants
    public var playerCount: Int { constants.playerCount }

    public init(_ constants: BlockConstants) { self.constants = constants }

    /// Dense Γ.
    public var dense: Matrix {
        let n = playerCount
        var g = Matrix(rows: n, cols: n)
        for i in 0..<n {
            g[i, i] = constants.curvature[i]
            for (j, l) in constants.coupling[i] { g[i, j] = -l }
        }
        return g
    }

    /// The symmetric N×N matrix whose smallest eigenvalue is the SGN margin at `w`:
    /// diagonal `μ_i`, off-diagonal `−½(L_ij √(w_i/w_j) + L_ji √(w_j/w_i))`.
    public func symmetrized(weights w: [Double]) -> Matrix {
        var s = Matrix(rows: playerCount, cols: playerCount)
        symmetrized(weights: w, into: &s)
        return s
    }

    /// `symmetrized(weights:)` written into an N×N matrix the caller reuses (no allocation; the
    /// same operations in the same order, so the same bits).
    public func symmetrized(weights w: [Double], into s: inout Matrix) {
        let n = playerCount
        precondition(s.rows == n && s.cols == n)
        for k in s.values.indices { s.values[k] = 0 }
        for i in 0..<n {
            s[i, i] = constants.curvature[i]
            for (j, l) in constants.coupling[i] {
                let v = -0.5 * l * (w[i] / w[j]).squareRoot()
                s[i, j] += v
                s[j, i] += v
            }
        }
    }

    /// The SGN margin `α*(w) = λmin(sym(W^{1/2} Γ W^{-1/2}))` (above `denseLimit` players: a
    /// proven lower bound from Lanczos + Collatz–Wielandt).
    public func margin(weights w: [Double]) throws -> Double {
        if playerCount == 1 { return constants.curvature[0] }
        if !usesDense { return try sparseMargin(weights: w).lower }
        return try LAPACK.symmetricEigenvalues(symmetrized(weights: w)).first!
    }

    /// Spectral radius of the gain matrix `G_ij = L_ij / μ_i`; nil when some `μ_i ≤ 0`
    /// (the gains are then undefined: that player has no curvature to absorb coupling).
    /// Above `denseLimit` players: a Collatz–Wielandt upper bound.
    public func gainSpectralRadius() throws -> Double? {
        guard constants.curvature.allSatisfy({ $0 > 0 }) else { return nil }
        let n = playerCount
        if constants.coupling.allSatisfy(\.isEmpty) { return 0 }
        if !usesDense { return try sparseGainSpectralRadius() }
        var g = Matrix(rows: n, cols: n)
        for i in 0..<n { for (j, l) in constants.coupling[i] { g[i, j] = l / constants.curvature[i] } }
        let e = try LAPACK.eigen(g)
        return zip(e.real, e.imaginary).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? 0
    }

    /// Strongly connected components of the coupling graph (edge i→j when `L_ij > 0`),
    /// by an iterative Tarjan search. One component means Γ is irreducible.
    public func stronglyConnectedComponents() -> [[Int]] {
        Self.stronglyConnectedComponents(successors: constants.coupling.map { $0.map(\.col) })
    }

    /// Strongly connected components of the graph with edges i → `successors[i]`, each sorted,
    /// sinks first (an edge leaves a component only towards an earlier one).
    public static func stronglyConnectedComponents(successors: [[Int]]) -> [[Int]] {
        let n = successors.count
        var index = [Int](repeating: -1, count: n)
        var low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = []
        var components: [[Int]] = []
        var counter = 0
        for root in 0..<n where index[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = counter
            low[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let (v, e) = work.last {
                let edges = successors[v]
                if e < edges.count {
                    work[work.count - 1].edge += 1
                    let w = edges[e]
                    if index[w] < 0 {
                        index[w] = counter
                        low[w] = counter
                        counter += 1
                        stack.append(w)
                        onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                    if low[v] == index[v] {
                        var comp: [Int] = []
                        while true {
                            let w = stack.removeLast()
                            onStack[w] = false
                            comp.append(w)
                            if w == v { break }
                        }
                        components.append(comp.sorted())
                    }
                }
            }
        }
        return components
    }
}
