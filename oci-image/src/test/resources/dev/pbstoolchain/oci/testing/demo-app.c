/*
 * The tests' app: a native program that embeds CPython like the releases this toolchain makes.
 * It finds its Python home from where the dynamic loader found libpython (so it needs no /proc),
 * prints that path, and runs a line of Python. Built with -DSTAND_IN against a stand-in libpython
 * (one function) for targets whose real CPython is not on this machine.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef STAND_IN
const char *Py_GetVersion(void);
#else
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif

int main(int argc, char **argv) {
  Dl_info info;
  if (!dladdr((void *)Py_GetVersion, &info) || info.dli_fname == NULL) {
    fprintf(stderr, "demo-app: cannot tell where libpython is\n");
    return 2;
  }
  /* The loader names it as the RUNPATH spelt it ($ORIGIN/../lib/...): show the real path. */
  char lib[PATH_MAX];
  if (realpath(info.dli_fname, lib) == NULL) {
    snprintf(lib, sizeof lib, "%s", info.dli_fname);
  }
  printf("libpython=%s\n", lib);
  fflush(stdout);
#ifdef STAND_IN
  printf("python %s\n", Py_GetVersion());
  return 0;
#else
  char home[PATH_MAX];
  snprintf(home, sizeof home, "%s", dirname(dirname(lib)));
  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);
  PyConfig_SetBytesString(&config, &config.home, home);
  config.site_import = 0;
  PyStatus status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    Py_ExitStatusException(status);
  }
  int rc = PyRun_SimpleString(argc > 1 ? argv[1]
      : "import sys, json\nprint('plugin: python', sys.version.split()[0], json.dumps({'prefix': sys.prefix}))");
  return Py_FinalizeEx() < 0 ? 120 : rc == 0 ? 0 : 1;
#endif
}
