package dev.pbstoolchain.licenses.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.licenses.LicenseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonJsonTest {

  static final String FIX =
      "python-build-standalone does not write this: use the release's unmodified *-full.tar.zst"
          + " (fetch it again)";

  static PythonJson parse(String json) throws LicenseException {
    return PythonJson.parse(json.getBytes(StandardCharsets.UTF_8), "a.tar.zst");
  }

  @Test
  void readsTheRealSchemaAndIgnoresUnknownFields() throws Exception {
    PythonJson json =
        PythonJson.parse(
            Files.readAllBytes(Path.of("src/test/resources/python-json/linux-v8.json")), "x");
    assertThat(json.version()).isEqualTo("8");
    assertThat(json.coreLicenses()).contains("Python-2.0");
    assertThat(json.buildInfo().extensions()).containsKey("_ctypes");
    assertThat(json.buildInfo().extensions().get("_ctypes").get(0).licenses()).contains("MIT");

    PythonJson minimal =
        parse(
            "{\"version\": 8, \"future_field\": {\"x\": [1, 2.5, null]},"
                + " \"build_info\": {\"core\": {\"licenses\": [\"Python-2.0\"]}}}");
    assertThat(minimal.version()).as("a number reads as its text").isEqualTo("8");
    assertThat(minimal.buildInfo().extensions()).isEmpty();
    assertThat(minimal.crtFeatures()).isEmpty();
  }

  @Test
  void wrongTypesNameTheFieldAndWhatWasFound() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"version\": \"8\", \"build_info\": {\"core\": {}, \"extensions\":"
                        + " {\"_ctypes\": [{\"licenses\": \"MIT\"}]}}}"))
        .isInstanceOf(LicenseException.class)
        .hasMessage(
            "a.tar.zst: PYTHON.json: /build_info/extensions/_ctypes/0/licenses should be an array,"
                + " found 'MIT'. "
                + FIX);
    assertThatThrownBy(() -> parse("{\"version\": \"8\", \"build_info\": {\"core\": [1]}}"))
        .hasMessage(
            "a.tar.zst: PYTHON.json: /build_info/core should be an object, found an array. " + FIX);
    assertThatThrownBy(() -> parse("[1]"))
        .hasMessage(
            "a.tar.zst: PYTHON.json: the document should be an object, found an array. " + FIX);
  }

  @Test
  void brokenJsonSaysWhere() {
    assertThatThrownBy(() -> parse("{\"version\": \"8\",\n \"build_info\": {\"core\": {}"))
        .isInstanceOf(LicenseException.class)
        .hasMessageStartingWith(
            "a.tar.zst: PYTHON.json is not valid JSON (Unexpected end-of-input");
    assertThatThrownBy(() -> parse("{\"version\": \"8\"} trailing"))
        .hasMessageStartingWith("a.tar.zst: PYTHON.json is not valid JSON");
    assertThatThrownBy(() -> parse("")).hasMessage("a.tar.zst: PYTHON.json is empty. " + FIX);
  }

  /**
   * Each odd field named by JSON pointer. The first two crashed Components.from before (a link
   * without a name: NullPointerException; a licence file named LICENSE.txt:
   * StringIndexOutOfBoundsException).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'links': [{'system': false}]}" + "|/build_info/extensions/_x/0/links/0/name is missing",
        "{'licenses': ['MIT', 5]}|/build_info/extensions/_x/0/licenses/1 should be a string, found 5",
        "{'licenses': ['MIT OR X']}"
            + "|/build_info/extensions/_x/0/licenses/0 should be an SPDX licence id, found 'MIT OR X'",
        "{'license_paths': ['../../etc/passwd']}"
            + "|/build_info/extensions/_x/0/license_paths/0 should be a relative path, found"
            + " '../../etc/passwd'",
        "{'shared_lib': 'lib/a\\u0000.so'}"
            + "|/build_info/extensions/_x/0/shared_lib should be a relative path, found"
            + " 'lib/a\\u0000.so'",
        "{'links': [{'name': 'a', 'path_dynamic': '/abs.dll'}]}"
            + "|/build_info/extensions/_x/0/links/0/path_dynamic should be a relative path, found"
            + " '/abs.dll'",
        "{'in_core': 'yes'}|/build_info/extensions/_x/0/in_core should be true or false, found 'yes'",
        "5|/build_info/extensions/_x/0 should be an object, found 5",
      })
  void oddVariantFieldsAreNamedByJsonPointer(String variant, String message) {
    String json =
        "{'version': '8', 'build_info': {'core': {}, 'extensions': {'_x': [" + variant + "]}}}";
    assertThatThrownBy(() -> parse(json.replace('\'', '"')))
        .isInstanceOf(LicenseException.class)
        .hasMessage("a.tar.zst: PYTHON.json: " + message + ". " + FIX);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|/version is missing",
        "{'version': 8}|/build_info is missing",
        "{'version': 8, 'build_info': {}}|/build_info/core is missing",
        "{'version': 8, 'build_info': {'core': {}, 'extensions': {'a/b~': []}}}"
            + "|/build_info/extensions/a~1b~0 is not named as an extension module (a Python"
            + " identifier)",
        "{'version': 8, 'build_info': {'core': {}, 'extensions': {'_x': null}}}"
            + "|/build_info/extensions/_x should be an array of variants, found null",
        "{'version': 8, 'target_triple': 'x86_64 linux', 'build_info': {'core': {}}}"
            + "|/target_triple should be a target triple, found 'x86_64 linux'",
        "{'version': 8, 'tcl_library_paths': ['..'], 'build_info': {'core': {}}}"
            + "|/tcl_library_paths/0 should be a relative path, found '..'",
      })
  void oddDocumentFieldsAreNamedByJsonPointer(String json, String message) {
    assertThatThrownBy(() -> parse(json.replace('\'', '"')))
        .isInstanceOf(LicenseException.class)
        .hasMessage("a.tar.zst: PYTHON.json: " + message + ". " + FIX);
  }

  @Test
  void aLicenceFileNamedJustLicenseTxtNamesItsComponent() throws Exception {
    PythonJson json =
        parse(
            "{\"version\": \"8\", \"build_info\": {\"core\": {}, \"extensions\": {\"_x\":"
                + " [{\"licenses\": [\"MIT\"], \"license_paths\": [\"licenses/LICENSE.txt\"]}]}}}");
    assertThat(Components.from(json).get(1).name()).isEqualTo("LICENSE.txt");
  }
}
