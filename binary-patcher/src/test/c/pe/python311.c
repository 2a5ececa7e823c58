/* Stands in for PBS's python311.dll: one exported symbol. */
__declspec(dllexport) const char *Py_GetVersion(void) { return "3.11.10"; }
