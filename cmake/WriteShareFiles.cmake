# Writes synlab's bash completion and man page from the program itself (app/CMakeLists.txt):
#   cmake -DSYNLAB=path/to/synlab -DSHARE=build/release/share -P WriteShareFiles.cmake
foreach(item "completion bash;bash-completion/completions/synlab" "man;man/man1/synlab.1")
  list(GET item 0 arguments)
  list(GET item 1 file)
  separate_arguments(arguments)
  get_filename_component(dir ${SHARE}/${file} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  execute_process(COMMAND ${SYNLAB} ${arguments} OUTPUT_FILE ${SHARE}/${file}.tmp
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${SYNLAB} ${arguments} failed (${status})")
  endif()
  file(RENAME ${SHARE}/${file}.tmp ${SHARE}/${file})
endforeach()
