/*
 * Stands in for PBS's libpython on targets whose real build cannot be run or obtained on this
 * Linux test host (macOS arm64, Windows): same file name and install name, one real symbol.
 */
#ifdef _WIN32
__declspec(dllexport)
#endif
const char *Py_GetVersion(void) { return "3.11.10 (test stand-in)"; }
