# Every dependency comes from Debian 12 packages (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET
  libavformat libavcodec libavfilter libavutil libswscale libswresample)

find_package(Threads REQUIRED)
find_package(TBB REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)

# Debian splits OpenCV per module; only core and imgproc are installed, without the umbrella
# CMake package (which would pull in every module), so they are imported by hand.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
find_library(OPENCV_CORE_LIBRARY opencv_core REQUIRED)
find_library(OPENCV_IMGPROC_LIBRARY opencv_imgproc REQUIRED)
add_library(clipper_opencv INTERFACE)
target_include_directories(clipper_opencv SYSTEM INTERFACE ${OPENCV_INCLUDE_DIR})
target_link_libraries(clipper_opencv INTERFACE ${OPENCV_IMGPROC_LIBRARY} ${OPENCV_CORE_LIBRARY})

# clipper worker/submit/status: Debian's libhiredis-dev.
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
