# clipper_settings / clipper_warnings: linked PRIVATE by clipper's own targets only.
add_library(clipper_settings INTERFACE)
target_compile_features(clipper_settings INTERFACE cxx_std_20)
if(CLIPPER_SANITIZE)
  target_compile_options(clipper_settings INTERFACE
    -fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(clipper_settings INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr)
endif()

# Designated initializers leave members at their defaults on purpose: GCC's
# missing-field-initializers warning would flag every one of them. GCC 12 at -O3 reports
# std::string concatenations as overlapping memcpy (-Wrestrict, GCC bug 105651): false positives.
add_library(clipper_warnings INTERFACE)
target_compile_options(clipper_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wno-missing-field-initializers
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
  $<$<BOOL:${CLIPPER_WERROR}>:-Werror>)

# clipper_module(NAME sources... [DEPS targets...]): one static library per module folder.
function(clipper_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(clipper_${name} STATIC ${ARG_SOURCES})
  target_include_directories(clipper_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(clipper_${name}
    PUBLIC ${ARG_PUBLIC_DEPS}
    PRIVATE clipper_settings clipper_warnings ${ARG_PRIVATE_DEPS})
  target_compile_features(clipper_${name} PUBLIC cxx_std_20)
endfunction()
