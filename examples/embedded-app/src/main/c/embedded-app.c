/*
 * The example app: a native program that embeds CPython and runs a user plugin. It finds the
 * bundled interpreter beside itself (tar.gz layout) or under ../lib/embedded-app (deb/rpm).
 */
#ifdef PBS_STUB_PYTHON
/*
 * Built where the target's SDK or the bundled Python's headers are not at hand (macOS and Windows
 * from a Linux host): a minimal main that still links the fetched libpython the same way.
 */
int printf(const char *format, ...);
const char *Py_GetVersion(void);
int main(void) {
  printf("python %s\n", Py_GetVersion());
  return 0;
}
#else
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

static int find_home(char *home, size_t size) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n < 0) {
    return -1;
  }
  exe[n] = 0;
  const char *dir = dirname(exe);
  snprintf(home, size, "%s/python", dir);
  if (access(home, R_OK) == 0) {
    return 0;
  }
  snprintf(home, size, "%s/../lib/embedded-app/python", dir);
  return access(home, R_OK);
}

int main(int argc, char **argv) {
  char home[PATH_MAX];
  if (find_home(home, sizeof home) != 0) {
    fprintf(stderr, "embedded-app: the bundled python/ directory is missing\n");
    return 2;
  }
  PyConfig config;
  PyConfig_InitIsolatedConfig(&config);
  PyConfig_SetBytesString(&config, &config.home, home);
  config.site_import = 0;
  PyStatus status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    Py_ExitStatusException(status);
  }
  Dl_info info;
  if (dladdr((void *)Py_GetVersion, &info)) {
    printf("libpython=%s\n", info.dli_fname);
  }
  const char *plugin =
      argc > 1 ? argv[1]
               : "import sys, json\n"
                 "print('plugin: python', sys.version.split()[0], json.dumps({'prefix': sys.prefix}))";
  int rc = PyRun_SimpleString(plugin);
  if (Py_FinalizeEx() < 0) {
    return 120;
  }
  return rc == 0 ? 0 : 1;
}
#endif
