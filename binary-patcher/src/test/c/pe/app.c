/* A Windows program importing the Python DLL, as an embedding app does. */
#include <stdio.h>
__declspec(dllimport) const char *Py_GetVersion(void);

int main(void) {
  puts(Py_GetVersion());
  return 0;
}
