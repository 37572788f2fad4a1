# Compiler settings shared by every synlab target.

add_library(synlab_options INTERFACE)
target_compile_options(synlab_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                 -Wno-sign-conversion)
if(SYNLAB_WERROR)
  target_compile_options(synlab_options INTERFACE -Werror)
endif()
if(SYNLAB_FUZZ)
  # Coverage for libFuzzer in every library; the harnesses link -fsanitize=fuzzer (its main).
  target_compile_options(synlab_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                   -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(synlab_options INTERFACE -fsanitize=address,undefined)
endif()
if(SYNLAB_SANITIZE)
  target_compile_options(synlab_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=all)
  target_link_options(synlab_options INTERFACE -fsanitize=address,undefined)
  # Executables linked without PIE: ASan's descriptors of instrumented globals gave synlab
  # 776,000 relative relocations (18 MB) to apply at every start, a third of the 200 ms each
  # start took; the tests start an executable some thousand times.
  target_link_options(synlab_options INTERFACE
                      $<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-no-pie>)
endif()

# synlab_library(NAME sources... DEPENDS targets...): a layer library, exported as synlab::NAME.
function(synlab_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(synlab_${name} ${ARG_SOURCES})
  add_library(synlab::${name} ALIAS synlab_${name})
  target_include_directories(synlab_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(synlab_${name} PUBLIC ${ARG_DEPENDS} PRIVATE synlab_options)
endfunction()
