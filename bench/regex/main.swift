// auditwatch side of bench/regex (main.swift, as swiftc wants for top-level code): compiled with
// swiftc -O together with Sources/AuditwatchCore/Regex/*.swift (the engine as it ships, nothing
// else), so it runs the same code `auditwatch` does. Same files, arguments and output as
// re2_bench.cc; with the malloc-counting preload it also counts allocations inside `matches`.
#if canImport(Glibc)
import Glibc
#endif

func records(_ path: String) -> [[UInt8]] {
    guard let file = fopen(path, "rb") else { fatalError("cannot open \(path)") }
    defer { fclose(file) }
    var all: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        all += buffer[0..<count]
    }
    return all.split(separator: 0, omittingEmptySubsequences: false).dropLast().map(Array.init)
}

func seconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The preload's counter (bench/regex/malloc_count.c), when it is loaded.
let allocationCount: (@convention(c) () -> UInt64)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "bench_allocation_count") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) () -> UInt64).self)
}()

let arguments = CommandLine.arguments
guard arguments.count >= 4, let rounds = Int(arguments[3]) else {
    print("usage: regex_bench PATTERNS INPUTS ROUNDS [MATCHES_OUT]")
    exit(2)
}
let patterns = records(arguments[1])
let inputs = records(arguments[2])
var compiled: [(Int, LinearRegex)] = []
let compileStart = seconds()
for (index, record) in patterns.enumerated() {
    let pattern = String(decoding: record.dropFirst(), as: UTF8.self)
    if let regex = try? LinearRegex(pattern, options: .init(ignoreCase: record.first == UInt8(ascii: "i"))) {
        compiled.append((index, regex))
    }
}
let compileMilliseconds = (seconds() - compileStart) * 1e3
var counts = [Int](repeating: 0, count: compiled.count)
// One untimed round first, so one-time costs (the runtime's lazy metadata) are not counted.
for (_, regex) in compiled {
    for input in inputs { _ = input.withUnsafeBufferPointer { regex.matches($0) } }
}
let start = seconds()
for _ in 0..<rounds {
    for (slot, (_, regex)) in compiled.enumerated() {
        var count = 0
        for input in inputs where input.withUnsafeBufferPointer({ regex.matches($0) }) { count += 1 }
        counts[slot] = count
    }
}
let elapsed = seconds() - start
// Untimed: the allocations made inside `matches` itself, summed over every pattern x string.
var allocations: UInt64 = 0
if let allocationCount {
    for (_, regex) in compiled {
        for input in inputs {
            let before = allocationCount()
            _ = input.withUnsafeBufferPointer { regex.matches($0) }
            allocations += allocationCount() - before
        }
    }
}
if arguments.count > 4, let out = fopen(arguments[4], "w") {
    for (slot, (index, _)) in compiled.enumerated() { fputs("\(index) \(counts[slot])\n", out) }
    fclose(out)
}
let matches = Double(compiled.count * inputs.count * rounds)
let allocationText = allocationCount == nil ? "null" : "\(allocations)"
print("{\"engine\": \"auditwatch\", \"patterns\": \(compiled.count), \"refused\": \(patterns.count - compiled.count), "
    + "\"inputs\": \(inputs.count), \"seconds\": \(fixed(elapsed)), "
    + "\"ns_per_match\": \(fixed(elapsed * 1e9 / matches)), \"compile_ms\": \(fixed(compileMilliseconds)), "
    + "\"allocations_in_matches\": \(allocationText)}")

func fixed(_ value: Double) -> String {
    let scaled = (value * 100).rounded() / 100
    return "\(scaled)"
}
