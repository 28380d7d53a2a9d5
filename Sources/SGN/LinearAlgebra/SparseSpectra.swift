/// Iterative spectral estimates for block-sparse matrices too large to factor densely.
public enum SparseSpectra {
    /// Smallest eigenvalue of `sym(J)`.
    public static func smallestSymmetricEigenvalue(_ j: BlockMatrix) throws -> Double {
        throw LinearAlgebraError(routine: "sparse λmin (not yet available for games larger than \(MetricSpectra.denseLimit) coordinates)", info: 1)
    }

    /// An upper bound on `‖J‖₂`.
    public static func spectralNormUpperBound(_ j: BlockMatrix) throws -> Double {
        throw LinearAlgebraError(routine: "sparse ‖J‖ (not yet available for games larger than \(MetricSpectra.denseLimit) coordinates)", info: 1)
    }
}
