/* Stands in for PBS's libpython3.11.dylib: same install name, one symbol. */
const char *Py_GetVersion(void) { return "3.11.10"; }
