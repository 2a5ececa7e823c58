package dev.pbstoolchain.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader, the published JSON Schema and the reference page agree: all three come from {@link
 * MatrixSchema}, the committed copies are what it generates, a real JSON Schema validator and the
 * reader accept and refuse the same files, and the reader reads every key it accepts.
 */
class MatrixSchemaTest {

  /** Surefire runs in the module directory; the repository is one level up. */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  private static final Path SCHEMA_FILE = REPOSITORY.resolve("docs/matrix.schema.json");
  private static final Path REFERENCE_FILE = REPOSITORY.resolve("docs/matrix.md");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path dir;

  @Test
  void theCommittedSchemaAndReferenceAreWhatTheDeclarationGenerates() throws IOException {
    Map<Path, String> generated = new LinkedHashMap<>();
    generated.put(SCHEMA_FILE, MatrixSchema.jsonSchema());
    generated.put(REFERENCE_FILE, MatrixReference.markdown());
    List<String> stale = new ArrayList<>();
    for (var file : generated.entrySet()) {
      if (Boolean.getBoolean("pbs.updateDocs")) {
        Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
      }
      String committed =
          Files.exists(file.getKey())
              ? Files.readString(file.getKey(), StandardCharsets.UTF_8)
              : "";
      if (!committed.equals(file.getValue())) {
        stale.add(REPOSITORY.relativize(file.getKey()).toString());
      }
    }
    assertThat(stale)
        .as(
            "out of date with MatrixSchema; regenerate with ./mvnw -pl pbs-core test"
                + " -Dtest=MatrixSchemaTest -Dpbs.updateDocs=true")
        .isEmpty();
  }

  @Test
  void theSchemaHasExactlyTheKeysTheReaderDeclares() throws IOException {
    Set<String> inSchema = new TreeSet<>();
    schemaPaths(JSON.readTree(MatrixSchema.jsonSchema()), "", inSchema);
    assertThat(inSchema).isEqualTo(new TreeSet<>(MatrixSchema.keys().keySet()));
  }

  @Test
  void theReaderReadsEveryKeyItAcceptsAndTheValidatorAcceptsThemToo() throws Exception {
    Path full = write(MatrixReference.example());
    assertThat(errors(full)).isEmpty();
    assertThat(new TreeSet<>(MatrixReader.consultedReading(full)))
        .as("declared keys the reader accepts but never reads")
        .isEqualTo(new TreeSet<>(MatrixSchema.keys().keySet()));
  }

  @Test
  void aMisspeltOrMissingKeyAnywhereIsRefusedByBoth() throws Exception {
    JsonNode example = JSON.valueToTree(MatrixSchema.ROOT.example());
    List<KeyPath> paths = new ArrayList<>();
    walk(MatrixSchema.ROOT, List.of(), paths);
    assertThat(paths).hasSameSizeAs(MatrixSchema.keys().keySet());
    for (KeyPath declared : paths) {
      String name = declared.steps().get(declared.steps().size() - 1);
      Path misspelt = write(JSON.writeValueAsString(renamed(example, declared, name + "x")));
      assertThat(readerError(misspelt))
          .as(declared.path() + " misspelt")
          .contains("unknown key '" + name + "x'")
          .contains("(did you mean '" + name + "'?)");
      assertThat(errors(misspelt)).as(declared.path() + " misspelt").isNotEmpty();
      if (declared.key().required()) {
        Path missing = write(JSON.writeValueAsString(renamed(example, declared, null)));
        assertThat(readerError(missing))
            .as(declared.path() + " missing")
            .contains(declared.path().replace("[]", "[0]") + " is missing");
        assertThat(errors(missing)).as(declared.path() + " missing").isNotEmpty();
      }
    }
  }

  /** A declared key and the steps to it: key names, "[]" for a list's first item. */
  private record KeyPath(List<String> steps, Shape.Key key) {
    String path() {
      return String.join(".", steps).replace(".[]", "[]");
    }
  }

  private static void walk(Shape.Block block, List<String> prefix, List<KeyPath> out) {
    for (Shape.Key key : block.keys()) {
      List<String> steps = new ArrayList<>(prefix);
      steps.add(key.name());
      out.add(new KeyPath(steps, key));
      Shape shape = key.shape();
      if (shape instanceof Shape.ListOf list) {
        steps = new ArrayList<>(steps);
        steps.add("[]");
        shape = list.item();
      }
      if (shape instanceof Shape.Block inner) {
        walk(inner, steps, out);
      }
    }
  }

  /** A copy of {@code root} with the declared key renamed, or removed when null. */
  private static JsonNode renamed(JsonNode root, KeyPath declared, String newName) {
    JsonNode copy = root.deepCopy();
    JsonNode parent = copy;
    List<String> steps = declared.steps();
    for (String step : steps.subList(0, steps.size() - 1)) {
      parent = step.equals("[]") ? parent.get(0) : parent.get(step);
    }
    ObjectNode object = (ObjectNode) parent;
    JsonNode value = object.remove(steps.get(steps.size() - 1));
    if (newName != null) {
      object.set(newName, value);
    }
    return copy;
  }

  @Test
  void valuesOfTheWrongShapeAreRefusedByBoth() throws Exception {
    String head = "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n";
    String row = "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}]\n";
    List<String> bad =
        List.of(
            "pbs: {date: '2024-10-16', version: 3.11.10}\napp: {name: a}\n" + row,
            "pbs: {date: 2024-10-16, version: 3.11.10}\napp: {name: a}\n" + row,
            "pbs: {date: '20241016', version: 3.10}\napp: {name: a}\n" + row,
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: [a]}\n" + row,
            head + "targets: []\n",
            head + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [dmg]}]\n",
            head
                + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb, deb]}]\n",
            head + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: []}]\n",
            head + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: deb}]\n",
            head + row + "packaging: {compression: bzip2}\n",
            head + row + "packaging: {files: [{source: a, destination: /a, mode: 0640}]}\n",
            head + row + "packaging: {files: [{source: a, destination: /a, mode: '0980'}]}\n",
            head + row + "packaging: {files: [{source: a, destination: etc/a}]}\n",
            head + row + "packaging: {files: [{source: a, destination: /etc/../a}]}\n",
            head + row + "packaging: {files: [{source: a, destination: /a, config: 'yes'}]}\n",
            head + row + "packaging: {depends: adduser}\n",
            head + row + "packaging: {directories: [{path: /var/lib/a, owner: 'a b'}]}\n",
            head + row + "packaging: {systemLibraries: [{soname: ssl, deb: libssl3}]}\n",
            head + row + "packaging: {systemLibraries: [{soname: libssl.so.3, deb: 'a b'}]}\n",
            head + row + "smoke: {timeout: soon}\n",
            head + row + "smoke: {args: --version}\n",
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a, maintainer: me}\n" + row,
            head + "targets: [{triple: x86_64, binary: a, formats: [deb]}]\n",
            head
                + "targets: [{triple: x86_64-pc-windows-gnu, pbsTriple: x86_64-pc-windows, binary:"
                + " a, formats: [zip]}]\n");
    for (String yaml : bad) {
      Path file = write(yaml);
      assertThat(errors(file)).as(yaml).isNotEmpty();
      assertThat(readerError(file)).as(yaml).startsWith(file + ":");
    }
  }

  @Test
  void everyMatrixInTheRepositoryIsValidUnlessItsTestWantsItRefused() throws Exception {
    List<Path> matrices;
    try (Stream<Path> files = Files.walk(REPOSITORY)) {
      matrices =
          files
              .filter(p -> p.getFileName().toString().equals("matrix.yaml"))
              .filter(p -> !REPOSITORY.relativize(p).toString().matches(".*(^|/)target/.*"))
              .sorted()
              .toList();
    }
    assertThat(matrices)
        .contains(
            REPOSITORY.resolve("matrix.yaml"),
            REPOSITORY.resolve("examples/embedded-app/matrix.yaml"),
            REPOSITORY.resolve("pbs-maven-plugin/src/it/release-linux/matrix.yaml"));
    for (Path matrix : matrices) {
      boolean refused = matrix.getParent().getFileName().toString().startsWith("fail-bad-matrix");
      Set<ValidationMessage> errors = errors(matrix);
      assertThat(errors).as(matrix + " against the schema").matches(e -> e.isEmpty() != refused);
      if (refused) {
        assertThat(readerError(matrix)).startsWith(matrix + ":");
      } else {
        MatrixReader.read(matrix);
      }
    }
  }

  @Test
  void matrixPathsInMessagesAreNotMistakenForOptions() {
    // pbs-cli rewrites pbs.x in messages into its flag; a matrix path must survive that.
    for (String path : MatrixSchema.keys().keySet()) {
      String concrete = path.replace("[]", "[0]");
      assertThat(FrontEnd.CLI.render(concrete))
          .as(
              "FrontEnd.CLI rewrites the matrix path %s as an option; add it to FrontEnd's matrix"
                  + " keys and write the option as -D%s=... in messages",
              concrete, concrete)
          .isEqualTo(concrete);
    }
  }

  /** Every property path of a generated schema, in MatrixSchema.keys() notation. */
  private static void schemaPaths(JsonNode schema, String prefix, Set<String> paths) {
    JsonNode properties = schema.path("properties");
    for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      paths.add(path);
      JsonNode value = properties.get(name);
      if (value.has("items")) {
        schemaPaths(value.get("items"), path + "[]", paths);
      } else {
        schemaPaths(value, path, paths);
      }
    }
  }

  private static JsonSchema schema;

  /** What the validator finds wrong with a matrix, checked against the committed schema. */
  private static synchronized Set<ValidationMessage> errors(Path matrix) throws IOException {
    if (schema == null) {
      schema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
              .getSchema(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8));
    }
    return schema.validate(YAML.readTree(matrix.toFile()));
  }

  private static String readerError(Path matrix) {
    try {
      MatrixReader.read(matrix);
    } catch (PbsException e) {
      return e.getMessage();
    }
    throw new AssertionError("the reader accepted " + matrix);
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "matrix", ".yaml"), yaml);
  }
}
