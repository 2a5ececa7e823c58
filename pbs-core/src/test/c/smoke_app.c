/*
 * A stand-in for an app under a smoke run: links libpython (the test-support stand-in), prints
 * its version, then does what argv[1] says: "env" lists the environment's names, "look PATH..."
 * says whether each path can be seen, "fail" exits 3 with a message, "hang" never ends in time.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;
const char *Py_GetVersion(void);

int main(int argc, char **argv) {
  printf("python %s\n", Py_GetVersion());
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "env") == 0) {
    for (char **e = environ; *e; e++) {
      const char *eq = strchr(*e, '=');
      printf("env %.*s\n", eq ? (int)(eq - *e) : (int)strlen(*e), *e);
    }
  } else if (strcmp(mode, "look") == 0) {
    for (int i = 2; i < argc; i++) {
      printf("%s %s\n", argv[i], access(argv[i], F_OK) == 0 ? "visible" : "hidden");
    }
  } else if (strcmp(mode, "fail") == 0) {
    fprintf(stderr, "Fatal Python error: failed to get the Python codec of the filesystem encoding\n");
    return 3;
  } else if (strcmp(mode, "hang") == 0) {
    sleep(120);
  }
  return 0;
}
