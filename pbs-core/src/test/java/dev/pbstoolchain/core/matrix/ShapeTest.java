package dev.pbstoolchain.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shapes no key of today's matrix uses yet (numbers, free-form mappings: an image's ports, env
 * and labels), checked by the reader and by a real JSON Schema validator on the schema they write.
 */
class ShapeTest {

  private static final Shape.Block BLOCK =
      Shape.Block.of(
          "A test block.",
          Shape.Key.optional("port", new Shape.Whole(1, 65535, 8080), "A port.", "none"),
          Shape.Key.optional(
              "env",
              new Shape.MapOf(
                  Shape.Text.matching(
                      "^[A-Za-z_][A-Za-z0-9_]*$",
                      "it must be an environment variable name such as APP_HOME",
                      "APP_HOME"),
                  Shape.Text.any("/opt/app")),
              "Environment.",
              "none"));

  @TempDir Path dir;

  @Test
  void wholeNumbersAndFreeMappingsAreReadInFileOrder() throws Exception {
    Path file = write("port: 8080\nenv: {B_HOME: /b, A: 'x y'}\n");
    assertThat(problems(file)).isEmpty();
    assertThat(validator(file)).isEmpty();
    Values values =
        new Values(
            BLOCK, (YamlNode.Mapping) YamlDocument.parse(file), "image", "image", new HashSet<>());
    assertThat(values.whole("port", 0)).isEqualTo(8080);
    assertThat(values.map("env")).containsExactly(Map.entry("B_HOME", "/b"), Map.entry("A", "x y"));
  }

  @Test
  void wrongNumbersAndMappingsAreRefusedByReaderAndSchemaAlike() throws Exception {
    List<String> bad =
        List.of(
            "port: '8080'\n",
            "port: 0\n",
            "port: 70000\n",
            "port: 80.5\n",
            "port: [80]\n",
            "env: [A]\n",
            "env: {'A B': x}\n",
            "env: {A: 1}\n",
            "env: {A: }\n",
            "env: {A: [x]}\n");
    for (String yaml : bad) {
      Path file = write(yaml);
      assertThat(problems(file)).as(yaml).isNotEmpty();
      assertThat(validator(file)).as(yaml).isNotEmpty();
    }
  }

  @Test
  void messagesSayWhereAndWhatToWrite() throws Exception {
    assertThat(problems(write("port: 70000\n")))
        .containsExactly(
            "x:1:7: image.port is '70000'; it must be a whole number from 1 to 65535, e.g. 8080.");
    assertThat(problems(write("env:\n  A: x\n  'A B': y\n  A: z\n")))
        .containsExactly(
            "x:3:3: image.env key is 'A B'; it must be an environment variable name such as"
                + " APP_HOME.",
            "x:4:3: duplicate key 'A' in image.env (first at line 2).");
    assertThat(problems(write("env: {A: 1}\n")))
        .containsExactly(
            "x:1:10: image.env.A is 1, which YAML reads as a number; write it in"
                + " quotes: \"1\".");
    // YAML 1.1 reads 0x1F as a number; JSON Schema tools do not agree, so it is refused.
    assertThat(problems(write("port: 0x1F\n"))).hasSize(1);
  }

  private List<String> problems(Path file) throws PbsException {
    Problems problems = new Problems();
    BLOCK.check(YamlDocument.parse(file), "image", problems);
    try {
      problems.throwIfAny();
      return List.of();
    } catch (PbsException e) {
      return e.getMessage().lines().map(line -> line.replace(file.toString(), "x")).toList();
    }
  }

  private static Set<ValidationMessage> validator(Path file) throws IOException {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.setAll(BLOCK.schema(JsonNodeFactory.instance));
    JsonSchema validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema.toString());
    JsonNode yaml = new YAMLMapper().readTree(file.toFile());
    return validator.validate(yaml);
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "matrix", ".yaml"), yaml);
  }
}
