/*
 * The example app: a native program that embeds CPython and runs a user plugin, with the Python
 * shipped beside it (tar.gz, zip) or under ../lib/embedded-app (deb, rpm). set_bundled_home is the
 * code README.md ("Finding the bundled Python at run time") gives; the smoke runs of pbs:verify
 * prove it, with the build machine's Pythons hidden.
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
#include <stdio.h>

/* --- begin: set_bundled_home (README.md) --- */
#ifdef _WIN32
#include <windows.h>
#else
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif
#endif

/*
 * Points the interpreter at the python/ directory shipped with this program: beside the
 * executable (tar.gz, zip), else ../lib/APP/python (deb, rpm). Without a home, CPython looks
 * where the build machine had it (python-build-standalone: /install) and fails on every user's
 * machine. Call it before Py_InitializeFromConfig.
 */
static PyStatus set_bundled_home(PyConfig *config, const char *app) {
#ifdef _WIN32
  (void)app;
  static wchar_t home[32768];
  DWORD n = GetModuleFileNameW(NULL, home, 32768 - 8);
  if (n == 0 || n >= 32768 - 8) {
    return PyStatus_Error("cannot find this program's path (GetModuleFileNameW)");
  }
  wcscpy(wcsrchr(home, L'\\') + 1, L"python");
  DWORD attributes = GetFileAttributesW(home);
  if (attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_DIRECTORY)) {
    return PyStatus_Error("the python directory beside this program is missing");
  }
  return PyConfig_SetString(config, &config->home, home);
#else
  char exe[PATH_MAX];
  char home[PATH_MAX + 64];
#ifdef __APPLE__
  char path[PATH_MAX];
  uint32_t size = sizeof path;
  if (_NSGetExecutablePath(path, &size) != 0 || realpath(path, exe) == NULL) {
    return PyStatus_Error("cannot find this program's path (_NSGetExecutablePath)");
  }
#else
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n < 0) {
    return PyStatus_Error("cannot find this program's path (/proc/self/exe)");
  }
  exe[n] = 0;
#endif
  *strrchr(exe, '/') = 0;
  snprintf(home, sizeof home, "%s/python", exe);
  if (access(home, R_OK) != 0) {
    snprintf(home, sizeof home, "%s/../lib/%s/python", exe, app);
    if (access(home, R_OK) != 0) {
      return PyStatus_Error("the bundled python/ directory is missing");
    }
  }
  return PyConfig_SetBytesString(config, &config->home, home);
#endif
}
/* --- end: set_bundled_home --- */

#ifndef _WIN32
#include <dlfcn.h>
#endif

int main(int argc, char **argv) {
  PyConfig config;
  /* Isolated: the user's PYTHONHOME, PYTHONPATH and user site-packages do not leak in. */
  PyConfig_InitIsolatedConfig(&config);
  config.site_import = 0;
  PyStatus status = set_bundled_home(&config, "embedded-app");
  if (!PyStatus_Exception(status)) {
    status = Py_InitializeFromConfig(&config);
  }
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    Py_ExitStatusException(status);
  }
#ifndef _WIN32
  Dl_info info;
  if (dladdr((void *)Py_GetVersion, &info)) {
    printf("libpython=%s\n", info.dli_fname);
  }
#endif
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
