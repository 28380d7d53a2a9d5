// swift-tools-version: 6.0
// libFuzzer target over the game reader, kept out of the main package so the normal build and
// CI never need the sanitizer runtime. Built and run by `make fuzz` (see docs/robustness.md).
import PackageDescription

let package = Package(
    name: "sgn-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "sgn", path: "..")],
    targets: [
        .executableTarget(
            name: "SGNFuzz",
            dependencies: [.product(name: "SGN", package: "sgn")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
