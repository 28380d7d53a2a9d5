import SGN

/// libFuzzer entry point: every byte string must either decode into a game or be rejected
/// with an `InputError`; a decoded small game must then certify (or report not certified)
/// without trapping, in the default and the rigorous mode alike. Any crash, sanitizer report,
/// time-out or out-of-memory is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGameReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let game: any Game
    do {
        game = try GameReader.decode(bytes: bytes, defaultName: "fuzz")
    } catch {
        // Rejection must come with a message.
        precondition(!error.message.isEmpty, "InputError without a message")
        return 0
    }
    // Certify only games small enough to keep each run fast.
    guard game.dims.reduce(0, +) <= 48 else { return 0 }
    do {
        _ = try Certifier().certify(game)
        _ = try Certifier(rigorous: true).certify(game)
    } catch is LinearAlgebraError {
        // A LAPACK convergence failure is reported, not a crash.
    } catch {
        preconditionFailure("certify threw an unexpected error: \(error)")
    }
    return 0
}

/// libFuzzer's driver, exported by the fuzzer runtime that `-sanitize=fuzzer` links in.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM renames an executable's `main` to `<Target>_main` and links `main` to it, so the
/// fuzzer's own `main` is not used; this one hands control to libFuzzer's driver.
@_cdecl("SGNFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runDriver(&count, &vector) { data, size in fuzzGameReader(data, size) }
}
