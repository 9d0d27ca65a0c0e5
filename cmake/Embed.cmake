# Writes a C++ source that holds the bytes of IN as a string_view named VAR.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
file(WRITE "${OUT}"
  "#include <string_view>\nnamespace malchin::embedded {\n"
  "static const char kBytes[] = {${body} 0};\n"
  "extern const std::string_view ${VAR};\n"
  "const std::string_view ${VAR}(kBytes, ${len});\n}\n")
