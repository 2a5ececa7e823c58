/* Embeds CPython and reports which libpython the loader picked. */
#define _GNU_SOURCE
#include <Python.h>
#include <dlfcn.h>
#include <stdio.h>

int main(void) {
  Dl_info info;
  if (!dladdr((void *)Py_GetVersion, &info)) {
    return 3;
  }
  printf("libpython=%s\n", info.dli_fname);
  printf("version=%.4s\n", Py_GetVersion());
  return 0;
}
