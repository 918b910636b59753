import Foundation
import LibFuzzerDriver
import LatticeSpy

// Saved spy sessions (NDJSON, `latticetop spy --save` / `--load`): read, then every record
// written back and read again.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpyRecords(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    guard let records = try? SpyNDJSON.read(data) else { return 0 }
    for record in records {
        guard let line = try? SpyNDJSON.line(record) else { continue }
        let again = try? SpyNDJSON.read(Data(line.utf8))
        precondition(again?.count == 1, "a record written back must read again")
    }
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzSpyRecords($0, $1) })
