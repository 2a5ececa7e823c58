package dev.pbstoolchain.licenses.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.licenses.LicenseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PythonJsonTest {

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
    assertThat(json.buildInfo().extensions().get("_ctypes").get(0).licensesOrEmpty())
        .contains("MIT");

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
            "a.tar.zst: PYTHON.json: build_info.extensions._ctypes[0].licenses should be an array,"
                + " found 'MIT'");
    assertThatThrownBy(() -> parse("{\"version\": \"8\", \"build_info\": {\"core\": [1]}}"))
        .hasMessage("a.tar.zst: PYTHON.json: build_info.core should be an object, found an array");
    assertThatThrownBy(() -> parse("[1]"))
        .hasMessage("a.tar.zst: PYTHON.json: the document should be an object, found an array");
  }

  @Test
  void brokenJsonSaysWhere() {
    assertThatThrownBy(() -> parse("{\"version\": \"8\",\n \"build_info\": {\"core\": {}"))
        .isInstanceOf(LicenseException.class)
        .hasMessageStartingWith(
            "a.tar.zst: PYTHON.json is not valid JSON (Unexpected end-of-input");
    assertThatThrownBy(() -> parse("{\"version\": \"8\"} trailing"))
        .hasMessageStartingWith("a.tar.zst: PYTHON.json is not valid JSON");
    assertThatThrownBy(() -> parse("")).hasMessage("a.tar.zst: PYTHON.json is empty");
  }
}
