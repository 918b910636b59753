import Foundation
import LibFuzzerDriver
import LatticeTop

// wash context files (JSON). Errors must name the file.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWashContexts(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let context = try WashContextStore.decode(data, file: "fuzz.json")
        _ = try? JSONEncoder().encode(context)
    } catch {
        precondition(error.description.contains("fuzz.json"), "the error must name the file")
    }
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzWashContexts($0, $1) })
