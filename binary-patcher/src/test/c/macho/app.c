/* A tiny arm64 macOS program that links libpython by its PBS install name. */
const char *Py_GetVersion(void);
int puts(const char *);

int main(void) {
  puts(Py_GetVersion());
  return 0;
}
