/* What issue #19 found: an embedding program that never tells Python where its home is. */
#include <Python.h>

int main(void) {
  Py_Initialize();
  PyRun_SimpleString("print('plugin: python')");
  return Py_FinalizeEx() < 0 ? 120 : 0;
}
