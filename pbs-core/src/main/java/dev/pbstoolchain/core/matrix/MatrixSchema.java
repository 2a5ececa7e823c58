package dev.pbstoolchain.core.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.matrix.Shape.Block;
import dev.pbstoolchain.core.matrix.Shape.Flag;
import dev.pbstoolchain.core.matrix.Shape.Key;
import dev.pbstoolchain.core.matrix.Shape.ListOf;
import dev.pbstoolchain.core.matrix.Shape.MapOf;
import dev.pbstoolchain.core.matrix.Shape.Text;
import dev.pbstoolchain.packagers.format.Format;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every key matrix.yaml may hold, in one table. The reader refuses any other key and checks each
 * value against its shape; {@link #jsonSchema()} and {@link MatrixReference} are generated from the
 * same table, and tests check that the reader reads every key declared here.
 *
 * <p>To add a key: declare it in its block below (name, shape, doc, default), read it in {@link
 * MatrixReader} through {@link Values} into the {@link Matrix} model, then regenerate the schema
 * and the reference ({@code ./mvnw -pl pbs-core test -Dtest=MatrixSchemaTest
 * -Dpbs.updateDocs=true}).
 */
public final class MatrixSchema {

  /** The artifact formats a row may ask for. */
  public static final List<String> FORMATS = Stream.of(Format.values()).map(Format::id).toList();

  /** deb data and rpm payload compressions. */
  public static final List<String> COMPRESSIONS = List.of("gzip", "xz", "zstd");

  /** Maintainer scripts, by their deb names. */
  public static final List<String> SCRIPTS = List.of("preinst", "postinst", "prerm", "postrm");

  private static final Text MODE =
      Text.matching("^0?[0-7]{3,4}$", "it must be an octal mode in quotes, e.g. \"0640\"", "0640");

  private static final Text INSTALL_PATH =
      Text.matching(
          "^/(?!(.*/)?\\.\\.(/|$))",
          "it must be an absolute install path without '..', like /etc/app",
          "/etc/app/app.conf");

  private static final Text ACCOUNT =
      Text.matching(
          "^[A-Za-z_][A-Za-z0-9_.-]*[$]?$",
          "it must be a user or group name such as app or root",
          "app");

  private static final Text NUMERIC_ID =
      Text.matching("^[0-9]{1,9}$", "it must be a numeric id in quotes, like \"999\"", "999");

  private static final ListOf PACKAGE_NAMES = new ListOf(Text.any("adduser"), 0, false);

  private static final ListOf MODULES =
      new ListOf(
          Text.matching(
              "^[A-Za-z_][A-Za-z0-9_]*$",
              "it must be an extension module name as PYTHON.json lists it, e.g. readline or _dbm",
              "readline"),
          0,
          true);

  private static final Block FILE =
      Block.of(
          "An extra file of the deb and rpm.",
          Key.required(
              "source", Text.any("packaging/app.conf"), "The file, relative to the project."),
          Key.required("destination", INSTALL_PATH, "Where it is installed: an absolute path."),
          Key.optional("mode", MODE, "Permission bits, a quoted octal string.", "\"0644\""),
          Key.optional(
              "config",
              new Flag(),
              "Whether users' edits survive upgrades (deb conffile, rpm %config(noreplace)).",
              "false"),
          Key.optional("owner", ACCOUNT, "Its owner's user name.", "root"),
          Key.optional("group", ACCOUNT, "Its group name.", "root"));

  private static final Block SYMLINK =
      Block.of(
          "A symbolic link the deb and rpm install.",
          Key.required(
              "path",
              INSTALL_PATH.withExample("/usr/sbin/app"),
              "Where the link is: an absolute path."),
          Key.required(
              "target",
              Text.matching(
                  "^[^\\s]",
                  "it must be what the link points to, relative to its directory or absolute, like"
                      + " ../bin/app",
                  "../bin/app"),
              "What it points to, as ln -s takes it."));

  private static final Block DIRECTORY =
      Block.of(
          "A directory the deb and rpm own, e.g. a service's state directory.",
          Key.required(
              "path", INSTALL_PATH.withExample("/var/lib/app"), "The directory: an absolute path."),
          Key.optional("owner", ACCOUNT, "Its owner's user name.", "root"),
          Key.optional("group", ACCOUNT, "Its group name.", "root"),
          Key.optional(
              "mode",
              MODE.withExample("0750"),
              "Permission bits, a quoted octal string.",
              "\"0755\""));

  private static final Block SCRIPT_FILES =
      new Block(
          "Maintainer scripts by deb name; the same file serves the rpm's matching scriptlet.",
          SCRIPTS.stream()
              .map(
                  name ->
                      Key.optional(
                          name,
                          Text.any("packaging/" + name),
                          "The " + name + " script, relative to the project.",
                          "none"))
              .toList());

  private static final Block SYSTEM_LIBRARY =
      Block.of(
          "A library the app links from the system rather than from the release.",
          Key.required(
              "soname",
              Text.matching(
                  "^(lib|ld)[A-Za-z0-9_.+-]*[.]so([.][0-9A-Za-z_.]+)?$",
                  "it must be the library's soname, as readelf -d shows it under NEEDED (e.g."
                      + " libssl.so.3)",
                  "libssl.so.3"),
              "The soname, as readelf -d shows it under NEEDED."),
          Key.required(
              "deb",
              Text.matching(
                  "^[a-z0-9][a-z0-9+.-]+( [(](<<|<=|=|>=|>>) [0-9][A-Za-z0-9.+~:-]*[)])?$",
                  "it must be the Debian package providing the library (dpkg -S SONAME), e.g."
                      + " libssl3 or 'libssl3 (>= 3.0.0)'",
                  "libssl3"),
              "The Debian package that provides it (dpkg -S SONAME), optionally with a version."));

  /**
   * {@code smoke:}: pbs:verify runs each Linux artifact's app (other CPUs under qemu-user, zips
   * under Wine) with the host's Pythons hidden.
   */
  static final Block SMOKE =
      Block.of(
          "How pbs:verify runs the app from each artifact, with this machine's Pythons hidden.",
          Key.optional(
              "args", new ListOf(Text.any("--version"), 0, false), "The app's arguments.", "[]"),
          Key.optional(
              "expect",
              Text.any("python 3\\.11"),
              "A regular expression the app's output (stdout and stderr) must contain; single"
                  + " quotes keep its backslashes.",
              "any output"),
          Key.optional(
              "timeout",
              Text.matching(
                  "^[1-9][0-9]{0,5}(ms|s|m)$",
                  "it must be a duration such as 30s, 2m or 1500ms",
                  "30s"),
              "How long one run may take.",
              "30s"));

  /** The deb and rpm extras: at the top for every row, and in a row to change single keys. */
  static final Block PACKAGING =
      Block.of(
          "What the deb and rpm carry besides the program and python/.",
          Key.optional(
              "changelog",
              Text.any("packaging/changelog"),
              "The changelog, relative to the project, in Debian's format (deb-changelog(5),"
                  + " newest entry first): the deb's changelog.Debian.gz and the rpm's %changelog.",
              "one entry, 'Release VERSION.'"),
          Key.optional("section", Text.any("net"), "deb Section.", "utils"),
          Key.optional(
              "group", Text.any("Applications/Internet"), "rpm Group.", "Applications/System"),
          Key.optional("vendor", Text.any("Example Corp"), "rpm Vendor.", "none"),
          Key.optional(
              "compression",
              Text.oneOf(COMPRESSIONS),
              "Compression of the deb's data.tar and the rpm's payload.",
              "gzip"),
          Key.optional(
              "depends",
              PACKAGE_NAMES,
              "deb Depends, added to the system libraries found by scanning the bundled Python.",
              "[]"),
          Key.optional("requires", PACKAGE_NAMES, "rpm Requires, likewise.", "[]"),
          Key.optional("recommends", PACKAGE_NAMES, "deb and rpm Recommends.", "[]"),
          Key.optional("conflicts", PACKAGE_NAMES, "deb and rpm Conflicts.", "[]"),
          Key.optional("provides", PACKAGE_NAMES, "deb and rpm Provides.", "[]"),
          Key.optional(
              "files",
              new ListOf(FILE, 0, false),
              "Extra files: configuration, systemd units, documentation.",
              "[]"),
          Key.optional(
              "directories",
              new ListOf(DIRECTORY, 0, false),
              "Directories the package owns.",
              "[]"),
          Key.optional(
              "symlinks",
              new ListOf(SYMLINK, 0, false),
              "Symbolic links the package installs, e.g. a command in /usr/bin.",
              "[]"),
          Key.optional("scripts", SCRIPT_FILES, "Maintainer scripts.", "none"),
          Key.optional(
              "systemLibraries",
              new ListOf(SYSTEM_LIBRARY, 0, false),
              "Libraries the app takes from the system (pbs:verify accepts them; the deb depends"
                  + " on their package, the rpm requires their soname).",
              "[]"));

  private static final Block RUNNER =
      Block.of(
          "The CI runners a row's build job runs on (pbs:ci-matrix writes them).",
          Key.optional(
              "github",
              Text.any("ubuntu-24.04-arm"),
              "The GitHub Actions runs-on label.",
              "ubuntu-24.04, ubuntu-24.04-arm, macos-14, macos-13 or windows-2022 by triple"),
          Key.optional(
              "gitlab",
              Text.any("saas-linux-small-arm64"),
              "The GitLab runner tag.",
              "a GitLab.com hosted runner by triple"));

  private static final Block ROW =
      Block.of(
          "One target: a built binary and the artifacts to make of it.",
          Key.required(
              "triple",
              Text.matching(
                      "^[a-z0-9_]+(-[a-z0-9_.]+){2,3}$",
                      "it must be a target triple such as x86_64-unknown-linux-gnu",
                      "x86_64-unknown-linux-gnu")
                  .suggesting(Triples.KNOWN),
              "The target triple the binary is built for."),
          Key.required(
              "binary",
              Text.any("target/native/x86_64-unknown-linux-gnu/app"),
              "The built program, relative to the project."),
          Key.required(
              "formats",
              new ListOf(Text.oneOf(FORMATS).called("format"), 1, true),
              "The artifacts to make: tar.gz, deb, rpm, zip."),
          Key.optional(
              "pbsTriple",
              Text.oneOf(Triples.KNOWN),
              "The python-build-standalone build to ship when PBS does not publish the app's"
                  + " triple (e.g. x86_64-pc-windows-msvc for an app built as"
                  + " x86_64-pc-windows-gnu).",
              "the row's triple"),
          Key.optional(
              "rpath",
              Text.any("$ORIGIN/lib"),
              "This row's RUNPATH (Linux).",
              "$ORIGIN/python/lib:$ORIGIN/../lib/APP/python/lib"),
          Key.optional(
              "packaging",
              PACKAGING,
              "This row's deb and rpm extras: each key given replaces the top-level one.",
              "the top-level packaging"),
          Key.optional(
              "smoke",
              SMOKE,
              "This row's smoke run: each key given replaces the top-level one.",
              "the top-level smoke"),
          Key.optional(
              "exclude",
              MODULES,
              "More extension modules to leave out of this row, added to the top-level exclude.",
              "[]"),
          Key.optional(
              "runner",
              RUNNER,
              "The CI runners of this row's build job (pbs:ci-matrix).",
              "a hosted runner for the triple"));

  private static final Block NAMES =
      new Block(
          "Artifact file names by format, from text and {placeholders}: {name}, {version},"
              + " {platform}, {os}, {arch}, {debVersion}, {debArch}, {rpmVersion}, {rpmRelease},"
              + " {rpmArch}.",
          List.of(
              Key.optional(
                  "tar.gz",
                  Text.any("{name}-{version}_{platform}.tar.gz"),
                  "The tar.gz name.",
                  "{name}-{version}_{platform}.tar.gz"),
              Key.optional(
                  "deb",
                  Text.any("{name}_{debVersion}_{debArch}.deb"),
                  "The deb name.",
                  "{name}_{debVersion}_{debArch}.deb"),
              Key.optional(
                  "rpm",
                  Text.any("{name}-{rpmVersion}-{rpmRelease}.{rpmArch}.rpm"),
                  "The rpm name.",
                  "{name}-{rpmVersion}-{rpmRelease}.{rpmArch}.rpm"),
              Key.optional(
                  "zip",
                  Text.any("{name}-{version}-{platform}.zip"),
                  "The zip name.",
                  "{name}-{version}-{platform}.zip")));

  private static final Text ABSOLUTE_PATH =
      Text.matching(
          "^/(?!(.*/)?\\.\\.(/|$))",
          "it must be an absolute path without '..', like /var/lib/app",
          "/var/lib/app");

  /** The container image pbs:image makes of the Linux rows (#22). */
  private static final Block IMAGE =
      Block.of(
          "The release's multi-platform container image: one platform per Linux row, over a base"
              + " image, with the files the deb installs.",
          Key.optional(
              "repository",
              Text.matching(
                  "^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$",
                  "it must be a repository without tag or digest, like"
                      + " registry.example.com/acme/app",
                  "registry.example.com/acme/app"),
              "Where -Dpbs.image.push=true pushes the image.",
              "none (no push)"),
          Key.optional(
              "tags",
              new ListOf(Text.any("{version}"), 1, true),
              "The image index's tags; {version} and {name} are replaced.",
              "[\"{version}\"]"),
          Key.required(
              "base",
              Text.any("docker.io/library/debian:bookworm-slim@sha256:..."),
              "The base image: a registry reference pinned by digest, oci-layout:DIR[:TAG] or"
                  + " oci-archive:FILE (relative to the project)."),
          Key.optional(
              "entrypoint",
              new ListOf(Text.any("/usr/bin/app"), 0, false),
              "The entrypoint.",
              "[/usr/bin/APP]"),
          Key.optional(
              "cmd", new ListOf(Text.any("--serve"), 0, false), "The default arguments.", "none"),
          Key.optional(
              "env",
              new MapOf(
                  Text.matching("^[^=\\s]+$", "it must be a variable name without '='", "LANG"),
                  Text.any("C.UTF-8")),
              "Environment variables, set over the base's.",
              "the base's"),
          Key.optional(
              "user",
              Text.any("999:999"),
              "The user the app runs as: name, uid or uid:gid.",
              "the base's"),
          Key.optional("workdir", ABSOLUTE_PATH, "The working directory.", "the base's"),
          Key.optional(
              "ports",
              new ListOf(
                  Text.matching(
                      "^[0-9]{1,5}(/(tcp|udp|sctp))?$",
                      "it must be a port in quotes, like \"8080\" or 53/udp",
                      "8080"),
                  0,
                  true),
              "Exposed ports.",
              "none"),
          Key.optional("volumes", new ListOf(ABSOLUTE_PATH, 0, true), "Volume paths.", "none"),
          Key.optional(
              "labels",
              new MapOf(Text.any("org.example.team"), Text.any("release")),
              "Config labels, set over the base's.",
              "none"),
          Key.optional(
              "uids",
              new MapOf(ACCOUNT, NUMERIC_ID),
              "Numeric ids of user names the package uses that the base's /etc/passwd lacks.",
              "none"),
          Key.optional(
              "gids",
              new MapOf(ACCOUNT, NUMERIC_ID),
              "Numeric ids of group names the package uses that the base's /etc/group lacks.",
              "none"));

  /** The whole file. */
  public static final Block ROOT =
      Block.of(
          "The release matrix of pbs-toolchain: which python-build-standalone release, which app,"
              + " and one row per target.",
          Key.required(
              "pbs",
              Block.of(
                  "Which python-build-standalone release to ship.",
                  Key.required(
                      "date",
                      Text.matching(
                              "^[0-9]{8}$",
                              "it must be a python-build-standalone release tag: 8 digits such as"
                                  + " \"20241016\"",
                              "20241016")
                          .orDigits(8),
                      "The python-build-standalone release tag (YYYYMMDD). -Dpbs.date overrides"
                          + " it."),
                  Key.required(
                      "version",
                      Text.matching(
                          "^[0-9]+[.][0-9]+[.][0-9]+([a-z]+[0-9]+)?$",
                          "it must be a full CPython version such as \"3.11.10\""
                              + " (major.minor.patch, as in the release's asset names)",
                          "3.11.10"),
                      "The CPython version. -Dpbs.version overrides it.")),
              "Which python-build-standalone release to ship."),
          Key.required(
              "app",
              Block.of(
                  "What is being released.",
                  Key.required(
                      "name",
                      Text.matching(
                          "^[A-Za-z0-9][A-Za-z0-9._+-]*$",
                          "it must be a program and package name: letters, digits, '.', '_', '+'"
                              + " and '-'",
                          "embedded-app"),
                      "The program and package name."),
                  Key.optional(
                      "description",
                      Text.any("A small program that embeds CPython."),
                      "One-line summary, then optional longer text.",
                      "the name"),
                  Key.optional(
                      "longDescription",
                      Text.any(
                          "It runs Python plugins with the CPython it ships, whatever Python the"
                              + " machine has."),
                      "The deb's extended description and the rpm's %description. A YAML '|'"
                          + " block keeps its lines, blank lines between paragraphs; lines longer"
                          + " than 79 columns are wrapped, lines starting with a space kept as"
                          + " written.",
                      "none: the deb has no extended description, the rpm's is the summary"),
                  Key.optional(
                      "maintainer",
                      Text.matching(
                          "^[^<>]+ <[^<>@ ]+@[^<> ]+>$",
                          "it must be 'Name <email>', e.g. Jane Doe <jane@example.com>",
                          "Jane Doe <jane@example.com>"),
                      "The deb Maintainer and rpm Packager: Name <email>.",
                      "unknown <unknown@example.com>"),
                  Key.optional(
                      "homepage",
                      Text.matching(
                          "^https?://[^ ]+$",
                          "it must be an http(s) URL",
                          "https://example.com/app"),
                      "The project's URL.",
                      "none"),
                  Key.optional(
                      "license",
                      Text.any("Apache-2.0"),
                      "The app's own licence, an SPDX id.",
                      "none"),
                  Key.optional(
                      "version",
                      Text.any("1.2.0"),
                      "The release version.",
                      "the project's version (the POM's, or pbs-cli's --app-version)")),
              "What is being released."),
          Key.optional(
              "packaging",
              PACKAGING,
              "What every row's deb and rpm carry besides the program and python/.",
              "none"),
          Key.optional(
              "smoke",
              SMOKE,
              "Smoke runs in pbs:verify for every row: the app run from each artifact as its users"
                  + " get it, its output matched, the bundled libpython proven in use.",
              "none (pbs:verify says how to enable them)"),
          Key.optional("names", NAMES, "Artifact file names by format.", "the usual names"),
          Key.optional("image", IMAGE, "The container image of the Linux rows.", "none"),
          Key.optional(
              "exclude",
              MODULES,
              "Extension modules to leave out of every row (e.g. readline, whose GPL licence the"
                  + " licence policy may deny): their files go from the shipped python/, their"
                  + " licences from LICENSE.md, the SBOM and the policy. A module compiled into"
                  + " libpython cannot be left out.",
              "[]"),
          Key.required(
              "targets", new ListOf(ROW, 1, false), "One row per target, in release order."));

  private MatrixSchema() {}

  /** The JSON Schema of matrix.yaml (draft-07), as published in docs/matrix.schema.json. */
  public static String jsonSchema() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode schema = json.objectNode();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("title", "pbs-toolchain matrix.yaml");
    schema.put("description", ROOT.what());
    schema.setAll(ROOT.schema(json));
    try {
      return new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(schema)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every declared key by its path, in declaration order: {@code pbs.date}, {@code
   * targets[].packaging.files[].mode}...
   */
  public static Map<String, Key> keys() {
    Map<String, Key> keys = new LinkedHashMap<>();
    collect(ROOT, "", keys);
    return keys;
  }

  private static void collect(Block block, String prefix, Map<String, Key> keys) {
    for (Key key : block.keys()) {
      String path = prefix.isEmpty() ? key.name() : prefix + "." + key.name();
      keys.put(path, key);
      Shape shape = key.shape();
      if (shape instanceof ListOf list) {
        path += "[]";
        shape = list.item();
      }
      if (shape instanceof Block inner) {
        collect(inner, path, keys);
      }
    }
  }

  /** Where a key of this name is declared, for "unknown key" messages ("in app"). */
  static Optional<String> homeOf(String name) {
    List<String> homes = new ArrayList<>();
    for (String path : keys().keySet()) {
      if (path.equals(name)) {
        homes.add("at the top level");
      } else if (path.endsWith("." + name)) {
        String parent = path.substring(0, path.length() - name.length() - 1);
        homes.add(
            parent.endsWith("[]")
                ? "in each item of " + parent.substring(0, parent.length() - 2)
                : "in " + parent);
      }
    }
    return homes.isEmpty() ? Optional.empty() : Optional.of(homes.get(0));
  }
}
