# Writes OUT from IN (app/version.cpp.in) with PROJECT_VERSION and the source revision of
# SOURCE_DIR (`git describe --always --dirty`, or "unknown" outside a git clone).
# Run at every build by the target synlab_version, not once at configure time: a commit or an
# edit then shows in --version and summary.json without reconfiguring. configure_file() leaves
# OUT untouched when its text is unchanged, so an unchanged revision recompiles nothing.
execute_process(
  COMMAND git describe --always --dirty --abbrev=12
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE SYNLAB_SOURCE_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT SYNLAB_SOURCE_REVISION)
  set(SYNLAB_SOURCE_REVISION "unknown")
endif()
configure_file(${IN} ${OUT} @ONLY)
