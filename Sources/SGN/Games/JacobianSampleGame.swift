/// A game given only by the Jacobians of its pseudo-gradient (`kind: "jacobians"`,
/// docs/jacobian-games.md): sample Jacobians at points of a region, computed by the user's own
/// autodiff, and optionally an entrywise enclosure valid on the whole region; or, for blocks too
/// large to store, only the block constants at the sample points (`constants`).
///
/// Without an enclosure every constant is a min/max over the samples (`sampled`, estimates, as
/// for Markov games); given block constants are such estimates too, and their `JacobianSet`
/// holds no matrices (the sgn rung only, docs/jacobian-games.md). With an enclosure, every
/// constant, margin and Lipschitz constant is a proven bound from the enclosure (`proven`); the
/// samples then only have to lie inside it.
///
/// Such a game has no pseudo-gradient, so it does not adopt `GameDynamics`: `simulate` and the
/// trajectory chart say so.
public struct JacobianSampleGame: Game {
    public let name: String
    public let playerNames: [String]
    public let dims: [Int]
    /// Sample Jacobians (possibly empty when an enclosure is given).
    public let samples: [BlockMatrix]
    public let enclosure: JacobianEnclosure?
    /// Block constants per sample point, given instead of Jacobians (e.g. Lanczos estimates on
    /// Hessian–vector products); empty when Jacobians or an enclosure are given.
    public let constants: [BlockConstants]
    /// Where the samples came from, for the certificate (`"inline"` or the sidecar file's name).
    public let source: String
    /// The equilibrium the user states (per player), echoed in the certificate's region.
    public let statedEquilibrium: [[Double]]?
    /// The user's free-form region description, echoed in the certificate.
    public let regionDetails: JSONValue?

    public init(
        name: String, playerNames: [String], dims: [Int], samples: [BlockMatrix], enclosure: JacobianEnclosure?,
        constants: [BlockConstants] = [], source: String, statedEquilibrium: [[Double]]? = nil,
        regionDetails: JSONValue? = nil
    ) {
        precondition(!samples.isEmpty || enclosure != nil || !constants.isEmpty)
        precondition(constants.allSatisfy { $0.playerCount == dims.count })
        self.name = name
        self.playerNames = playerNames
        self.dims = dims
        self.samples = samples
        self.enclosure = enclosure
        self.constants = constants
        self.source = source
        self.statedEquilibrium = statedEquilibrium
        self.regionDetails = regionDetails
    }

    /// A dense n×n Jacobian split into the blocks of `dims` (zero coupling blocks dropped).
    public static func blocks(_ j: Matrix, dims: [Int]) -> BlockMatrix {
        var offsets = [0]
        for d in dims { offsets.append(offsets.last! + d) }
        var diagonal: [Matrix] = []
        var off: [[(col: Int, block: Matrix)]] = []
        for i in dims.indices {
            diagonal.append(j.block(row: offsets[i], col: offsets[i], rows: dims[i], cols: dims[i]))
            var row: [(col: Int, block: Matrix)] = []
            for c in dims.indices where c != i {
                let b = j.block(row: offsets[i], col: offsets[c], rows: dims[i], cols: dims[c])
                if !b.isZero { row.append((c, b)) }
            }
            off.append(row)
        }
        return BlockMatrix(diagonal: diagonal, offDiagonal: off)
    }

    public var kind: String { "jacobians" }
    public var geometry: String? { nil }
    public var region: RegionReport {
        enclosure == nil
            ? .sampledPoints(statedEquilibrium: statedEquilibrium, details: regionDetails)
            : .enclosure(statedEquilibrium: statedEquilibrium, details: regionDetails)
    }

    public func jacobians() throws -> JacobianSet {
        if let enclosure {
            let shape = samples.isEmpty ? [Self.blocks(enclosure.mid, dims: dims)] : samples
            let method = ProofMethod.givenEnclosure(source: source, samples: samples.count)
            return JacobianSet(jacobians: shape, estimation: .proven(method: method), enclosure: enclosure)
        }
        if samples.isEmpty, var merged = constants.first {
            for c in constants.dropFirst() { merged.merge(c) }
            return JacobianSet(
                dims: dims, constants: merged,
                estimation: .sampled(
                    count: constants.count, seed: 0,
                    method: .givenConstants(source: source)))
        }
        return JacobianSet(
            jacobians: samples,
            estimation: .sampled(
                count: samples.count, seed: 0, method: .givenJacobians(source: source)))
    }

    /// None: with no pseudo-gradient, sgn can neither compute nor check an equilibrium. The
    /// point the game states is echoed in the certificate's `region.equilibrium` instead.
    public func equilibrium(certifiedStep step: Double?) -> Equilibrium? { nil }

    public func basinRadius(weights: [Double]) -> Double? { nil }
}
