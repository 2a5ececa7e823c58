/* A stand-in libpython for a target whose CPython is not on this machine: one real function. */
const char *Py_GetVersion(void) { return "3.11.10 (stand-in)"; }
