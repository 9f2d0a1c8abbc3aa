// RE2 side of bench/regex: the same patterns over the same strings as regex_bench.swift.
// Input files hold NUL-separated records; a pattern record is one flag byte ('-' or 'i')
// and the pattern. Prints one JSON line of figures.
#include <re2/re2.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

static std::vector<std::string> records(const char* path) {
    std::ifstream file(path, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i < all.size(); i++) {
        if (all[i] == '\0') { out.push_back(all.substr(start, i - start)); start = i + 1; }
    }
    return out;
}

int main(int argc, char** argv) {
    if (argc < 4) { std::fprintf(stderr, "usage: re2_bench PATTERNS INPUTS ROUNDS [MATCHES_OUT]\n"); return 2; }
    auto patterns = records(argv[1]);
    auto inputs = records(argv[2]);
    int rounds = std::atoi(argv[3]);
    std::vector<std::unique_ptr<RE2>> compiled;
    std::vector<size_t> kept;
    auto compileStart = std::chrono::steady_clock::now();
    for (size_t i = 0; i < patterns.size(); i++) {
        RE2::Options options;
        options.set_log_errors(false);
        options.set_case_sensitive(patterns[i][0] != 'i');
        auto regex = std::make_unique<RE2>(patterns[i].substr(1), options);
        if (regex->ok()) { compiled.push_back(std::move(regex)); kept.push_back(i); }
    }
    double compileSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - compileStart).count();
    std::vector<long> counts(compiled.size(), 0);
    auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; round++) {
        for (size_t p = 0; p < compiled.size(); p++) {
            long count = 0;
            for (const auto& input : inputs) count += RE2::PartialMatch(input, *compiled[p]);
            counts[p] = count;
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (argc > 4) {
        FILE* out = std::fopen(argv[4], "w");
        for (size_t p = 0; p < compiled.size(); p++) std::fprintf(out, "%zu %ld\n", kept[p], counts[p]);
        std::fclose(out);
    }
    double matches = double(compiled.size()) * inputs.size() * rounds;
    std::printf("{\"engine\": \"re2\", \"patterns\": %zu, \"refused\": %zu, \"inputs\": %zu, \"seconds\": %.4f, "
                "\"ns_per_match\": %.1f, \"compile_ms\": %.2f}\n",
                compiled.size(), patterns.size() - compiled.size(), inputs.size(), seconds,
                seconds * 1e9 / matches, compileSeconds * 1e3);
    return 0;
}
