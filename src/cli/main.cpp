#include "clipper/cli/app.hpp"

int main(int argc, char** argv) { return clipper::cli::run(argc, argv); }
