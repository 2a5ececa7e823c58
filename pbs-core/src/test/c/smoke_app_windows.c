/* The Windows stand-in app: links python311.dll and prints its version. */
#include <stdio.h>

__declspec(dllimport) const char *Py_GetVersion(void);

int main(void) {
  printf("python %s\n", Py_GetVersion());
  return 0;
}
