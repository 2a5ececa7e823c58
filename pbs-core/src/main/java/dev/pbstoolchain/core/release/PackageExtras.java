package dev.pbstoolchain.core.release;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.matrix.Matrix;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.layout.Changelog;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.output.Compression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A matrix row's {@code packaging:} block with its files resolved against the project directory:
 * what the deb and rpm carry besides the program and {@code python/}.
 *
 * @param packaging the block as matrix.yaml gives it
 * @param files extra files, sources resolved
 * @param directories owned directories
 * @param scripts maintainer script files by deb name, resolved
 * @param changelog the changelog file ({@code packaging.changelog}), resolved; empty for none
 */
public record PackageExtras(
    Matrix.Packaging packaging,
    List<ReleaseLayouts.Extra> files,
    List<ReleaseLayouts.OwnedDirectory> directories,
    Map<String, Path> scripts,
    Optional<Path> changelog) {

  public static final PackageExtras NONE = from(Matrix.Packaging.NONE, Path.of("."));

  public PackageExtras {
    files = List.copyOf(files);
    directories = List.copyOf(directories);
    scripts = Map.copyOf(scripts);
  }

  public static PackageExtras from(Matrix.Packaging packaging, Path projectDir) {
    Map<String, Path> scripts = new TreeMap<>();
    packaging.scripts().forEach((name, file) -> scripts.put(name, projectDir.resolve(file)));
    return new PackageExtras(
        packaging,
        packaging.files().stream()
            .map(
                f ->
                    new ReleaseLayouts.Extra(
                        projectDir.resolve(f.source()),
                        f.destination(),
                        f.mode(),
                        f.config(),
                        f.owner(),
                        f.group()))
            .toList(),
        packaging.directories().stream()
            .map(d -> new ReleaseLayouts.OwnedDirectory(d.path(), d.owner(), d.group(), d.mode()))
            .toList(),
        scripts,
        packaging.changelog().isBlank()
            ? Optional.empty()
            : Optional.of(projectDir.resolve(packaging.changelog())));
  }

  /**
   * The changelog both packages carry: {@code packaging.changelog} read and checked (a malformed
   * one is refused at its line), or {@link Changelog#NONE} for the one-entry changelog.
   */
  public Changelog changelogEntries() throws PbsException {
    if (changelog.isEmpty()) {
      return Changelog.NONE;
    }
    Path file = changelog.get();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw PbsException.configuration(
          "Cannot read the changelog "
              + file
              + " (packaging.changelog in matrix.yaml): "
              + e.getMessage());
    }
    try {
      return Changelog.parse(text, file.toString());
    } catch (PackagingException e) {
      throw PbsException.configuration(
          e.getMessage() + "; it is packaging.changelog in matrix.yaml");
    }
  }

  /** The files, directories and links a deb or rpm carries besides the program and python/. */
  public ReleaseLayouts.LinuxExtras linux() {
    return new ReleaseLayouts.LinuxExtras(
        files,
        directories,
        packaging.symlinks().stream()
            .map(link -> new ReleaseLayouts.Symlink(link.path(), link.target()))
            .toList());
  }

  public Compression compression() {
    return Compression.valueOf(packaging.compression().toUpperCase(Locale.ROOT));
  }

  /** The maintainer scripts' text by deb name. */
  public Map<String, String> scriptTexts() throws PbsException {
    Map<String, String> texts = new TreeMap<>();
    for (var script : scripts.entrySet()) {
      try {
        texts.put(script.getKey(), Files.readString(script.getValue(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw PbsException.configuration(
            "Cannot read the "
                + script.getKey()
                + " script "
                + script.getValue()
                + " (packaging.scripts."
                + script.getKey()
                + " in matrix.yaml): "
                + e.getMessage());
      }
    }
    return texts;
  }
}
