// The bench's simdjson filter: counts the JSON Lines of a file whose "type" is "login.failed",
// with simdjson's on-demand API over the file read in 4 MiB blocks (cut at newlines), the way a
// streaming tool would read it. Built by bench/bench.py against Debian's libsimdjson-dev.
// Usage: filter FILE   (prints the count; exit 1 on a read or parse error)
#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    std::FILE *file = std::fopen(argv[1], "rb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    const size_t block = 4 << 20;
    std::vector<char> buffer(block + simdjson::SIMDJSON_PADDING);
    simdjson::ondemand::parser parser;
    size_t carried = 0, count = 0;
    while (true) {
        size_t got = std::fread(buffer.data() + carried, 1, block - carried, file);
        size_t filled = carried + got;
        if (filled == 0) break;
        // Whole lines only; the tail waits for the next block (or is the last line at EOF).
        size_t end = filled;
        if (got != 0) {
            while (end > 0 && buffer[end - 1] != '\n') end--;
            if (end == 0) {
                std::fprintf(stderr, "a line longer than the block\n");
                return 1;
            }
        }
        auto stream = parser.iterate_many(buffer.data(), end, 1 << 20);
        if (stream.error()) {
            std::fprintf(stderr, "%s\n", simdjson::error_message(stream.error()));
            return 1;
        }
        for (auto document : stream.value_unsafe()) {
            std::string_view type;
            if (document["type"].get_string().get(type) == simdjson::SUCCESS && type == "login.failed") count++;
        }
        carried = filled - end;
        std::memmove(buffer.data(), buffer.data() + end, carried);
        if (got == 0) break;
    }
    std::fclose(file);
    std::printf("%zu\n", count);
    return 0;
}
