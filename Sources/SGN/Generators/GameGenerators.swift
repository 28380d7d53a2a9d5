import Foundation

/// Seeded generators of benchmark and test games. Every generator is a pure function of its
/// parameters and seed (SplitMix64, identical on every platform), so any benchmark input can be
/// reproduced from its command line. Generated numbers are rounded to `significantDigits`
/// significant digits before the game is built, so the game in memory is exactly the game
/// that the JSON text describes.
public enum GameGenerators {
    /// Significant digits kept in generated numbers (short numbers keep files small and parse fast).
    public static let significantDigits = 6

    /// A sparse network game: `players` players of dimension `dim` on a ring (so the coupling
    /// graph is strongly connected), plus random extra edges until every player has about
    /// `degree` neighbours; each neighbour relation couples both ways with independent random
    /// blocks. Own blocks are `c_i I + S_i + K_i` (S symmetric, K skew, c_i ∈ [1, 2]), couplings
    /// have entries uniform in ±`coupling`/(degree·√dim), so for `coupling` below about 1 the
    /// gain spectral radius stays below 1 and the game certifies. `linear` terms are uniform in ±1.
    public static func network(
        players n: Int, dim d: Int, degree k: Int, coupling strength: Double = 0.5,
        seed: UInt64
    ) -> QuadraticGame {
        precondition(n >= 1 && d >= 1 && k >= 0)
        var rng = SeededGenerator(seed: seed)
        // Neighbour sets: ring, then random chords (k/2 − 1 per player), deduplicated.
        var neighbours = [[Int]](repeating: [], count: n)
        func link(_ a: Int, _ b: Int) {
            guard a != b, !neighbours[a].contains(b) else { return }
            neighbours[a].append(b)
            neighbours[b].append(a)
        }
        if n > 1 && k > 0 {
            for i in 0..<n { link(i, (i + 1) % n) }
            let chords = max(0, k / 2 - 1)
            if n > 3 {
                for i in 0..<n { for _ in 0..<chords { link(i, Int(rng.next() % UInt64(n))) } }
            }
        }
        let scale = strength / (Double(max(k, 1)) * Double(d).squareRoot())
        var diagonal: [Matrix] = []
        var off: [[(col: Int, block: Matrix)]] = []
        var list: [QuadraticGame.Player] = []
        diagonal.reserveCapacity(n)
        off.reserveCapacity(n)
        list.reserveCapacity(n)
        let sd = 0.3 / Double(d).squareRoot()
        for i in 0..<n {
            var h = Matrix(rows: d, cols: d)
            let c = rng.uniform(1, 2)
            for r in 0..<d {
                for s in r..<d {
                    if r == s {
                        h[r, r] = round(c + rng.uniform(-sd, sd))
                        continue
                    }
                    let sym = rng.uniform(-sd, sd)
                    let skew = rng.uniform(-sd, sd)
                    h[r, s] = round(sym + skew)
                    h[s, r] = round(sym - skew)
                }
            }
            diagonal.append(h)
            let row = neighbours[i].sorted().map { j in
                (
                    col: j,
                    block: Matrix(
                        rows: d, cols: d, values: (0..<(d * d)).map { _ in round(rng.uniform(-scale, scale)) })
                )
            }
            off.append(row)
            list.append(
                .init(
                    name: "p\(i)", dim: d, linear: (0..<d).map { _ in round(rng.uniform(-1, 1)) },
                    lower: nil, upper: nil))
        }
        return QuadraticGame(
            name: "network-\(n)x\(d)-k\(k)-s\(seed)",
            description:
                "Sparse network game: \(n) players of dimension \(d), ring plus random chords "
                + "(about \(k) neighbours each), coupling strength \(format(strength)), "
                + "seed \(seed) (sgn generate network).",
            players: list, jacobian: BlockMatrix(diagonal: diagonal, offDiagonal: off))
    }

    /// The two-player LQ family of issue 2: `Q_i = I`, `A12 = 10λR`, `A21 = 0.05λRᵀ` with R a
    /// seeded random orthogonal `dim × dim` matrix (Gram–Schmidt of a Gaussian-like matrix).
    /// Same block constants as the scaled mini-toy: SGN certifies exactly for λ < √2.
    public static func lq(dim d: Int, lambda: Double = 1, seed: UInt64) -> QuadraticGame {
        precondition(d >= 1)
        var rng = SeededGenerator(seed: seed)
        // Columns of R: orthonormalised random vectors (modified Gram–Schmidt, twice).
        var cols: [[Double]] = []
        for _ in 0..<d {
            var v = (0..<d).map { _ in rng.uniform(-1, 1) }
            for _ in 0..<2 {
                for q in cols {
                    let dot = zip(v, q).reduce(0) { $0 + $1.0 * $1.1 }
                    for t in 0..<d { v[t] -= dot * q[t] }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            cols.append(v.map { $0 / norm })
        }
        // Keep R exactly as computed (not rounded) so that it is orthogonal to machine precision;
        // the JSON writer prints the shortest round-tripping form, so the file is still exact.
        let r = Matrix(rows: d, cols: d, values: cols.flatMap { $0 })
        let a12 = (10 * lambda) * r
        let a21 = (0.05 * lambda) * r.transposed
        let players = ["u", "v"].map {
            QuadraticGame.Player(name: $0, dim: d, linear: Array(repeating: 0, count: d), lower: nil, upper: nil)
        }
        return QuadraticGame(
            name: "lq-\(d)-l\(format(lambda))-s\(seed)",
            description:
                "Two-player LQ game in \(d) dimensions: Q_i = I, A12 = 10 lambda R, A21 = 0.05 "
                + "lambda R^T, R a seeded random orthogonal matrix, lambda = \(format(lambda)), "
                + "seed \(seed) (sgn generate lq).",
            players: players,
            jacobian: BlockMatrix(diagonal: [.identity(d), .identity(d)], offDiagonal: [[(1, a12)], [(0, a21)]]))
    }

    /// A random dense game: every pair of players coupled. Own blocks as in `network`, coupling
    /// entries uniform in ±`coupling`/((players − 1)·√dim).
    public static func dense(players n: Int, dim d: Int, coupling strength: Double = 0.5, seed: UInt64) -> QuadraticGame
    {
        var g = network(players: n, dim: d, degree: 0, coupling: strength, seed: seed)
        // Reuse the own blocks and linear terms; draw all couplings with a separate stream.
        var rng = SeededGenerator(seed: seed ^ 0xD1B5_4A32_D192_ED03)
        let scale = strength / (Double(max(n - 1, 1)) * Double(d).squareRoot())
        let off = (0..<n).map { i in
            (0..<n).filter { $0 != i }.map { c in
                (
                    col: c,
                    block: Matrix(
                        rows: d, cols: d, values: (0..<(d * d)).map { _ in round(rng.uniform(-scale, scale)) })
                )
            }
        }
        let j = BlockMatrix(diagonal: g.jacobian.diagonal, offDiagonal: off)
        g = QuadraticGame(
            name: "dense-\(n)x\(d)-s\(seed)",
            description:
                "Random dense game: \(n) players of dimension \(d), every pair coupled, "
                + "coupling strength \(format(strength)), seed \(seed) (sgn generate dense).",
            players: g.players, jacobian: j)
        return g
    }

    /// Bytes a generated matrix entry takes at least in the JSON text, separator included: six
    /// significant digits and a decimal point (`1.23456,`); the few shorter numbers are made up
    /// by longer ones (signs, leading zeros, exponents, and the LQ game's full-precision R).
    static let bytesPerEntry = 8

    /// Why a generated game of this size would not be a valid input, or nil: the limits
    /// `sgn certify` applies to every game file (`InputLimits`: total dimension, stored matrix
    /// entries, file size), checked from the options before anything is allocated. `blocks` is
    /// the number of d×d blocks stored (own blocks plus couplings); `options` names the options
    /// that set the size, for the message.
    public static func sizeProblem(players n: Int, dim d: Int, blocks: Int, options: String) -> String? {
        let (order, o1) = n.multipliedReportingOverflow(by: d)
        guard !o1, order <= InputLimits.maxTotalDimension else {
            return """
                \(options): the total dimension (players x dim) exceeds certify's limit of \
                \(InputLimits.maxTotalDimension)
                """
        }
        let (square, o2) = d.multipliedReportingOverflow(by: d)
        let (entries, o3) = blocks.multipliedReportingOverflow(by: square)
        guard !o2, !o3, entries <= InputLimits.maxMatrixEntries else {
            return """
                \(options): the game would store \(blocks) blocks of \(d)x\(d), more than certify's limit of \
                \(InputLimits.maxMatrixEntries) matrix entries
                """
        }
        guard entries <= InputLimits.maxFileBytes / bytesPerEntry else {
            return """
                \(options): the game would store \(entries) matrix entries, at least \
                \(entries * bytesPerEntry / 1_048_576) MiB of JSON, above certify's file limit of \
                \(InputLimits.maxFileBytes / 1_048_576) MiB
                """
        }
        return nil
    }

    /// Stored d×d blocks of `network` (an upper bound: own blocks, the ring's two links and
    /// about degree/2 − 1 chords each way per player) and of `dense` (all pairs).
    public static func networkBlocks(players n: Int, degree k: Int) -> Int {
        let links = n > 1 && k > 0 ? 2 + (n > 3 ? 2 * max(0, k / 2 - 1) : 0) : 0
        return n.multipliedReportingOverflow(by: 1 + links).overflow ? Int.max : n * (1 + links)
    }

    public static func denseBlocks(players n: Int) -> Int {
        n.multipliedReportingOverflow(by: n).overflow ? Int.max : n * n
    }

    /// `x` rounded to `significantDigits` significant digits.
    static func round(_ x: Double) -> Double {
        guard x != 0, x.isFinite else { return x }
        let e = Int(Foundation.floor(Foundation.log10(abs(x)))) - (significantDigits - 1)
        let p = Foundation.pow(10.0, Double(abs(e)))
        return e >= 0 ? (x / p).rounded() * p : (x * p).rounded() / p
    }

    static func format(_ x: Double) -> String { JSONWriter.format(x) }
}

extension QuadraticGame {
    /// The game as input JSON (`kind: "quadratic"`, docs/input-format.md), written directly as
    /// text so that very large games serialise quickly. Reading the text back gives this game.
    public func inputJSON() -> String {
        var out = ""
        out.reserveCapacity(
            jacobian.storedBlockCount * 24 * (jacobian.dims.first ?? 1) * (jacobian.dims.first ?? 1) + 64)
        out += "{\"name\":"
        JSONWriter.quote(name, into: &out)
        if let description {
            out += ",\"description\":"
            JSONWriter.quote(description, into: &out)
        }
        out += ",\"kind\":\"quadratic\",\"players\":[\n"
        func matrix(_ m: Matrix) {
            out += "["
            for r in 0..<m.rows {
                if r > 0 { out += "," }
                out += "["
                for c in 0..<m.cols {
                    if c > 0 { out += "," }
                    out += JSONWriter.format(m[r, c])
                }
                out += "]"
            }
            out += "]"
        }
        for (i, p) in players.enumerated() {
            if i > 0 { out += ",\n" }
            out += "{\"name\":"
            JSONWriter.quote(p.name, into: &out)
            out += ",\"dim\":\(p.dim),\"hessian\":"
            matrix(jacobian.diagonal[i])
            if !jacobian.offDiagonal[i].isEmpty {
                out += ",\"coupling\":{"
                for (k, (j, b)) in jacobian.offDiagonal[i].enumerated() {
                    if k > 0 { out += "," }
                    JSONWriter.quote(players[j].name, into: &out)
                    out += ":"
                    matrix(b)
                }
                out += "}"
            }
            if p.linear.contains(where: { $0 != 0 }) {
                out += ",\"linear\":[" + p.linear.map(JSONWriter.format).joined(separator: ",") + "]"
            }
            for (key, bound) in [("lower", p.lower), ("upper", p.upper)] {
                if let bound { out += ",\"\(key)\":[" + bound.map(JSONWriter.format).joined(separator: ",") + "]" }
            }
            out += "}"
        }
        out += "\n]}\n"
        return out
    }
}
