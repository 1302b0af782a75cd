#include <malloc.h>

#include <csignal>

#include "clipper/cli/app.hpp"
#include "clipper/util/cores.hpp"

namespace {

// glibc raises its mmap threshold each time a large block is freed, after which decoder and
// encoder frames come from the heap, which fragments: the peak memory of a batch then grew with
// its number of videos (samples/ twice over: 478 MiB against 379; docs/BENCHMARKS.md). A fixed
// threshold, glibc's starting one, gives such blocks back when they are freed.
constexpr int kMmapThreshold = 128 * 1024;

// Each malloc arena keeps what its threads freed, and glibc makes up to 8 a core as threads come and
// go: the peak still crept up with the batch's length (24 videos of samples/: 389 MiB against 366
// for 4). One arena a core keeps it level (373 against 365), no slower.
int malloc_arenas() { return clipper::util::cores(); }

}  // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_ARENA_MAX, malloc_arenas());
  // A Redis server that goes away mid-command must fail the write (and be reconnected to), not
  // kill the worker.
  std::signal(SIGPIPE, SIG_IGN);
  return clipper::cli::run(argc, argv);
}
