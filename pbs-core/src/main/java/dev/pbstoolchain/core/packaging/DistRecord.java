package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.release.Artifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What pbs:package wrote into the dist directory last time, and from which inputs: {@code
 * .<dist>.pbs-package-record} beside it (like the package lock), so the dist directory holds only
 * the release's files. It lets a build keep a target's packages when their {@link PackagingInputs}
 * fingerprint is unchanged and every package is still the file it wrote (same size and modification
 * time), and remove the outputs of a format, target or version the build no longer makes.
 */
public final class DistRecord {

  /** The record's file for {@code dist}: hidden, beside it. */
  public static Path file(Path dist) {
    Path absolute = dist.toAbsolutePath().normalize();
    return absolute.resolveSibling("." + absolute.getFileName() + ".pbs-package-record");
  }

  private static final String HEADER = "pbs-package record 1";

  private record Output(
      String triple,
      String type,
      String classifier,
      String sha256,
      long size,
      long mtime,
      String name) {}

  private final Map<String, String> inputs;
  private final List<Output> outputs;
  private final Set<String> owned;

  private DistRecord(Map<String, String> inputs, List<Output> outputs, Set<String> owned) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.owned = owned;
  }

  /** The record in {@code dist}; an empty one if there is none or it cannot be read. */
  public static DistRecord read(Path dist) {
    Map<String, String> inputs = new LinkedHashMap<>();
    List<Output> outputs = new ArrayList<>();
    Set<String> owned = new LinkedHashSet<>();
    try {
      List<String> lines = Files.readAllLines(file(dist), StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        return empty();
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(" ", 8);
        switch (f[0]) {
          case "inputs" -> inputs.put(f[1], f[2]);
          case "output" ->
              outputs.add(
                  new Output(
                      f[1], f[2], f[3], f[4], Long.parseLong(f[5]), Long.parseLong(f[6]), f[7]));
          case "owned" -> owned.add(line.substring("owned ".length()));
          default -> {
            return empty();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return empty();
    }
    return new DistRecord(inputs, outputs, owned);
  }

  private static DistRecord empty() {
    return new DistRecord(Map.of(), List.of(), Set.of());
  }

  /**
   * The artifacts this record holds for {@code triple}, if they were made from {@code fingerprint}
   * under exactly {@code names} and each is still in {@code dist} as written (with its .sha256).
   */
  public Optional<List<Artifact>> unchanged(
      Path dist, String triple, String fingerprint, List<String> names) {
    if (!fingerprint.equals(inputs.get(triple))) {
      return Optional.empty();
    }
    List<Output> mine = outputs.stream().filter(o -> o.triple().equals(triple)).toList();
    if (!mine.stream().map(Output::name).toList().equals(names)) {
      return Optional.empty();
    }
    List<Artifact> artifacts = new ArrayList<>();
    for (Output output : mine) {
      Path file = dist.resolve(output.name());
      try {
        BasicFileAttributes attributes =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()
            || attributes.size() != output.size()
            || attributes.lastModifiedTime().toMillis() != output.mtime()
            || !Files.isRegularFile(dist.resolve(output.name() + ".sha256"))) {
          return Optional.empty();
        }
      } catch (IOException e) {
        return Optional.empty();
      }
      artifacts.add(
          new Artifact(file, output.type(), output.classifier(), triple, output.sha256()));
    }
    return Optional.of(artifacts);
  }

  /** Every file name this record says the build wrote or owns. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    outputs.forEach(o -> names.add(o.name()));
    names.addAll(owned);
    return names;
  }

  /**
   * Writes the record of this build.
   *
   * @param inputs each target's fingerprint
   * @param artifacts the packages, in order
   * @param owned other outputs of the release kept in {@code dist} (SBOMs, the image archive)
   */
  public static void write(
      Path dist, Map<String, String> inputs, List<Artifact> artifacts, Collection<String> owned)
      throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    inputs.forEach(
        (triple, sha) ->
            text.append("inputs ").append(triple).append(' ').append(sha).append('\n'));
    for (Artifact artifact : artifacts) {
      BasicFileAttributes attributes =
          Files.readAttributes(artifact.file(), BasicFileAttributes.class);
      text.append(
          String.join(
                  " ",
                  "output",
                  artifact.triple(),
                  artifact.type(),
                  artifact.classifier(),
                  artifact.sha256(),
                  Long.toString(attributes.size()),
                  Long.toString(attributes.lastModifiedTime().toMillis()),
                  artifact.file().getFileName().toString())
              + "\n");
    }
    owned.forEach(name -> text.append("owned ").append(name).append('\n'));
    AtomicFiles.writeString(file(dist), text);
  }
}
